"""Azurite, Microsoft's Azure Storage emulator (npm package ``azurite``, installed by ``make test`` into
``tools/azurite/node_modules``), started on 127.0.0.1 for a test, with the little Blob REST the test needs
(create a container, list its blobs) signed with the emulator's well-known Shared Key.

Pulumi's ``azblob://`` backend (gocloud.dev's azureblob driver) reads the account and key from
``AZURE_STORAGE_ACCOUNT``/``AZURE_STORAGE_KEY``; ``domain=127.0.0.1:<port>&protocol=http&localemu=true`` in the
backend URL make it address ``http://127.0.0.1:<port>/<account>/<container>`` as Azurite expects.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import queue
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlencode

import pytest
import requests

from tests.support.engine import REPO_ROOT

AZURITE_BLOB = REPO_ROOT / "tools" / "azurite" / "node_modules" / ".bin" / "azurite-blob"
ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
"""Azurite's well-known development account and key (public, documented by Microsoft)."""
STORAGE_VERSION = "2021-08-06"
_LISTENING = re.compile(r"listens on (http://127\.0\.0\.1:\d+)")


@dataclass
class Azurite:
    """A running Azurite blob service: its ``url`` (``http://127.0.0.1:<port>``) and process."""

    url: str
    process: subprocess.Popen[str]

    @property
    def host(self) -> str:
        """``127.0.0.1:<port>``."""
        return self.url.removeprefix("http://")

    def backend_url(self, container: str) -> str:
        """The ``azblob://`` backend URL of Pulumi state kept in ``container``."""
        query = urlencode({"domain": self.host, "protocol": "http", "localemu": "true"})
        return f"azblob://{container}?{query}"

    def env(self) -> dict[str, str]:
        """The variables the azblob backend reads for Shared Key authentication."""
        return {"AZURE_STORAGE_ACCOUNT": ACCOUNT, "AZURE_STORAGE_KEY": KEY}

    def _request(self, method: str, container: str, query: dict[str, str]) -> requests.Response:
        headers = {"x-ms-date": formatdate(usegmt=True), "x-ms-version": STORAGE_VERSION}
        canonical_headers = "".join(f"{k}:{v}\n" for k, v in sorted(headers.items()))
        resource = f"/{ACCOUNT}/{ACCOUNT}/{container}" + "".join(f"\n{k}:{v}" for k, v in sorted(query.items()))
        to_sign = f"{method}\n" + "\n" * 11 + canonical_headers + resource
        digest = hmac.new(base64.b64decode(KEY), to_sign.encode(), hashlib.sha256).digest()
        headers["Authorization"] = f"SharedKey {ACCOUNT}:{base64.b64encode(digest).decode()}"
        url = f"{self.url}/{ACCOUNT}/{container}?{urlencode(query)}"
        return requests.request(method, url, headers=headers, timeout=30)

    def create_container(self, container: str) -> None:
        """Create a blob container (Pulumi's backend does not create its bucket)."""
        response = self._request("PUT", container, {"restype": "container"})
        assert response.status_code == 201, f"creating container {container}: {response.status_code} {response.text}"

    def blobs(self, container: str) -> list[str]:
        """The names of the blobs in ``container``."""
        response = self._request("GET", container, {"comp": "list", "restype": "container"})
        assert response.status_code == 200, f"listing {container}: {response.status_code} {response.text}"
        return [name.text or "" for name in ET.fromstring(response.content).iter("Name")]

    def stop(self) -> None:
        """Stop the service."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_azurite(workspace: Path, timeout: float = 60.0) -> Azurite:
    """Start ``azurite-blob`` on a free loopback port with its data in ``workspace``; fail the test if it cannot."""
    node = shutil.which("node")
    if not AZURITE_BLOB.exists() or node is None:
        pytest.fail(
            f"Azurite is not installed ({AZURITE_BLOB} missing{', and node is not on PATH' if node is None else ''}): "
            "run `make test`, which installs it with `npm ci` in tools/azurite.",
            pytrace=False,
        )
    workspace.mkdir(parents=True, exist_ok=True)
    command = [str(AZURITE_BLOB), "--blobHost", "127.0.0.1", "--blobPort", "0", "--location", str(workspace)]
    command += ["--disableTelemetry", "--skipApiVersionCheck", "--silent"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout

    def pump() -> None:
        for line in stdout:
            lines.put(line)
        lines.put("")

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    try:
        while True:
            line = lines.get(timeout=timeout)
            if not line:
                break
            seen.append(line)
            found = _LISTENING.search(line)
            if found:
                return Azurite(found.group(1), process)
    except queue.Empty:
        pass
    process.kill()
    process.wait()
    raise AssertionError(f"Azurite did not start ({' '.join(command)}):\n{''.join(seen)}")
