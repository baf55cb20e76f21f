"""The emulator's HTTP application: ARM's front door (auth, api-version, faults, headers) and the admin API.

Admin endpoints under ``/_emulator`` (each needs ``Authorization: Bearer <the emulator's token>``, each POST a JSON
body; bad input is a 400 naming the problem; see ``access`` for who may call at all):

- ``GET  /_emulator/health``                 settings of this run
- ``GET  /_emulator/requests?since=N``       the request log (ARM calls only), ``DELETE`` clears it
- ``GET  /_emulator/faults``                 active fault rules; ``POST`` adds one (JSON, see ``faults``),
  ``DELETE`` clears them; ``DELETE /_emulator/faults/{id}`` removes one
- ``POST /_emulator/reset``                  forget all state, the request log and the faults
- ``GET  /_emulator/snapshot``               all state (resources, operations, jobs, clock) as JSON; ``POST`` it
  back to return to it (the request log, faults and registered datasources stay as they are)
- ``GET  /_emulator/clock``                  emulator time; ``POST {"advanceSeconds": N}`` moves it forward
- ``POST /_emulator/datasources``            register ``{"id", "location"}`` as an existing datasource (strict mode)
- ``POST /_emulator/resource-groups``        register ``{"subscriptionId", "name", "location"}`` as an existing
  resource group (then only registered groups exist; see ``groups``)
- ``GET  /_emulator/restored``               what restores created (``{"id", "job", "created"}`` each)
- ``GET  /_emulator/guard-access``           who may pass ARM's access check on which resource guard; ``POST
  {"resourceGuardId", "seconds"}`` grants it (what an approved PIM request gives), ``DELETE`` revokes all
- ``POST /_emulator/tenants``                ``{"subscriptionId", "tenantId", "token"}``: the subscription is in
  another tenant, whose resource guards need ``x-ms-authorization-auxiliary: Bearer <token>``
"""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from pulumi_dataprotection.emulator import groups, ids, recovery, restore, routes, schema
from pulumi_dataprotection.emulator.access import Access, is_loopback
from pulumi_dataprotection.emulator.config import API_VERSION, API_VERSIONS, EmulatorConfig
from pulumi_dataprotection.emulator.datasources import Registry
from pulumi_dataprotection.emulator.errors import ArmError, gateway
from pulumi_dataprotection.emulator.faults import REQUEST_KINDS, Fault, Faults
from pulumi_dataprotection.emulator.service import GRANT, TENANT, Call, Reply, Service
from pulumi_dataprotection.emulator.store import Store
from pulumi_dataprotection.emulator.timeutil import iso

JSON = dict[str, Any]
Abort = Callable[[tuple[str, int]], bool]
Handler = Callable[[Request], Awaitable[Response]]

_METHODS = ["GET", "PUT", "PATCH", "DELETE", "POST", "HEAD", "OPTIONS"]
_WRITE_METHODS = ("PUT", "PATCH", "POST")
_API_VERSION_FORMAT = r"^\d{4}-\d{2}-\d{2}(-preview|-privatepreview|-beta|-alpha)?$"
_SERVED = frozenset(v.lower() for v in API_VERSIONS)
_INTERNAL_ERROR = "Microsoft Azure Backup encountered an internal error."


class AdminInputError(Exception):
    """Bad input to an admin endpoint: answered 400 with ``code`` and the message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _admin_route(path: str, handler: Handler, methods: list[str]) -> Route:
    async def endpoint(request: Request) -> Response:
        try:
            return await handler(request)
        except AdminInputError as exc:
            return JSONResponse({"error": {"code": exc.code, "message": str(exc)}}, status_code=400)

    return Route(path, endpoint, methods=methods)


async def _json_body(request: Request, code: str) -> Any:
    """The request's JSON body (``{}`` when empty)."""
    raw = await request.body()
    try:
        return json.loads(raw) if raw.strip() else {}
    except ValueError as exc:
        raise AdminInputError(code, f"the body is not JSON: {exc}") from exc


class RequestLog:
    """The ARM requests this run received, in order (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[JSON] = []
        self._seq = 0

    def add(self, entry: JSON) -> None:
        """Append an entry, numbering it."""
        with self._lock:
            self._seq += 1
            entry["seq"] = self._seq
            self._entries.append(entry)

    def since(self, seq: int) -> list[JSON]:
        """Entries with a sequence number above ``seq``."""
        with self._lock:
            return [dict(e) for e in self._entries if e["seq"] > seq]

    def clear(self) -> None:
        """Forget every entry (numbering continues)."""
        with self._lock:
            self._entries.clear()


class EmulatorApp:
    """Wires the store, the service, faults and the request log into a Starlette application."""

    def __init__(self, config: EmulatorConfig, store: Store) -> None:
        self.config = config
        self.store = store
        self.faults = Faults()
        for data in config.faults:
            self.faults.add(Fault.from_json(data))
        self.registry = self._registry()
        self.service = Service(store, config, self.faults, self.registry)
        self.log = RequestLog()
        self.abort: Abort = lambda client: False
        starlette = Starlette(
            routes=[
                _admin_route("/_emulator/health", self.admin_health, ["GET"]),
                _admin_route("/_emulator/requests", self.admin_requests, ["GET", "DELETE"]),
                _admin_route("/_emulator/faults", self.admin_faults, ["GET", "POST", "DELETE"]),
                _admin_route("/_emulator/faults/{fault_id:int}", self.admin_fault, ["DELETE"]),
                _admin_route("/_emulator/reset", self.admin_reset, ["POST"]),
                _admin_route("/_emulator/snapshot", self.admin_snapshot, ["GET", "POST"]),
                _admin_route("/_emulator/clock", self.admin_clock, ["GET", "POST"]),
                _admin_route("/_emulator/datasources", self.admin_datasources, ["POST"]),
                _admin_route("/_emulator/resource-groups", self.admin_resource_groups, ["POST"]),
                _admin_route("/_emulator/restored", self.admin_restored, ["GET"]),
                _admin_route("/_emulator/guard-access", self.admin_guard_access, ["GET", "POST", "DELETE"]),
                _admin_route("/_emulator/tenants", self.admin_tenants, ["GET", "POST"]),
                Route("/{path:path}", self.arm, methods=_METHODS),
            ]
        )
        self.app = Access(starlette, config.token, any_host=not is_loopback(config.host))

    def _registry(self) -> Registry:
        return Registry.load(self.config.datasources_file) if self.config.datasources_file else Registry()

    # -- ARM ---------------------------------------------------------------------------------------------------

    async def arm(self, request: Request) -> Response:
        """Serve one ARM request and log it."""
        raw = await request.body()
        entry: JSON = {
            "time": iso(time.time()),
            "method": request.method,
            "path": request.url.path,
            "query": request.url.query,
            "clientRequestId": request.headers.get("x-ms-client-request-id"),
            "body": _json_or_text(raw),
        }
        try:
            reply = await self._serve(request, raw, entry)
        except ArmError as exc:
            reply = Reply(exc.status, exc.body(), dict(exc.headers))
            if exc.style == "plain":
                reply.headers.setdefault("Content-Type", "application/json")
                reply.headers.setdefault("Content-Language", "en-US")
        reply = _apply_accept_quirk(request, reply)
        entry["status"] = reply.status
        self.log.add(entry)
        return self._response(request, reply)

    async def _serve(self, request: Request, raw: bytes, entry: JSON) -> Reply:
        method, path = request.method.upper(), request.url.path
        self._authenticate(request)
        for fault in self.faults.take(method, path, REQUEST_KINDS):
            entry.setdefault("faults", []).append(fault.kind)
            await self._inject(fault, request)
        found = routes.match(path)
        if found is None:
            unknown = routes.unknown_type(path)
            if unknown is not None:
                raise gateway(
                    404,
                    "InvalidResourceType",
                    f"The resource type '{unknown}' could not be found in the namespace '{ids.NAMESPACE}' for api "
                    f"version '{request.query_params.get('api-version', '')}'.",
                )
            raise gateway(404, "NotFound", f"The path '{path}' is not part of the Microsoft.DataProtection API.")
        route, params = found
        ids.check_subscription(params["sub"])
        if "rg" in params:
            ids.check_resource_group(params["rg"])
        if route.resource_type not in (routes.RESTORED_RESOURCES, routes.RESOURCE_GROUPS):
            self._check_api_version(request, route.resource_type, params)
        if "rg" in params and route.resource_type != routes.RESOURCE_GROUPS:
            groups.require(self.service, params["sub"], params["rg"])
        handler = route.methods.get(method)
        if handler is None:
            raise gateway(405, "MethodNotAllowed", f"The requested resource does not support http method '{method}'.")
        body = None
        if raw.strip() and method in _WRITE_METHODS:
            try:
                body = json.loads(raw)
            except ValueError as exc:
                raise gateway(
                    400,
                    "InvalidRequestContent",
                    f"The request content was invalid and could not be deserialized: '{exc}'.",
                ) from exc
        headers = {k.lower(): v for k, v in request.headers.items()}
        call = Call(method, path, str(request.base_url).rstrip("/"), params, body, dict(request.query_params), headers)
        version = schema.REQUEST_API_VERSION.set(call.query.get("api-version", ""))
        try:
            with self.store.transaction():
                self.service.settle()
                recovery.settle(self.service)
                return handler(self.service, call)
        finally:
            schema.REQUEST_API_VERSION.reset(version)

    def _authenticate(self, request: Request) -> None:
        header = request.headers.get("authorization")
        if header is None:
            raise gateway(
                401,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.",
                **{
                    "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", '
                    'error="invalid_token", error_description="The authentication failed because of missing '
                    "'Authorization' header.\""
                },
            )
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise gateway(
                401,
                "AuthenticationFailedInvalidHeader",
                "Authentication failed. The 'Authorization' header is provided in an invalid format.",
            )
        if not self.config.accept_any_token and token.strip() != self.config.token:
            raise gateway(
                401,
                "InvalidAuthenticationToken",
                "The access token is invalid.",
                **{
                    "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", '
                    'error="invalid_token", error_description="The access token is invalid."'
                },
            )

    def _check_api_version(self, request: Request, resource_type: str, params: dict[str, str]) -> None:
        version = request.query_params.get("api-version")
        if not version:
            raise gateway(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        if version.lower() in _SERVED:
            return
        supported = ", ".join(API_VERSIONS)
        if not re.match(_API_VERSION_FORMAT, version):
            raise gateway(
                400,
                "InvalidApiVersionParameter",
                f"The api-version '{version}' is invalid. The supported versions are '{supported}'.",
            )
        location = params.get("location") or self._location_of(params) or "global"
        raise gateway(
            400,
            "NoRegisteredProviderFound",
            f"No registered resource provider found for location '{location}' and API version '{version}' for "
            f"type '{resource_type}'. The supported api-versions are '{supported}'. The supported locations are "
            "'all locations (emulated)'.",
        )

    def _location_of(self, params: dict[str, str]) -> str | None:
        if "vault" not in params:
            return None
        doc = self.store.get("vault", ids.vault_id(params["sub"], params["rg"], params["vault"]))
        return doc["location"].replace(" ", "").lower() if doc else None

    async def _inject(self, fault: Fault, request: Request) -> None:
        if fault.kind == "latency":
            await asyncio.sleep(fault.seconds)
            return
        if fault.kind == "reset":
            client = request.client
            if client is not None:
                self.abort((client.host, client.port))
            raise ArmError(500, "ConnectionReset", "The connection was reset (fault injected).", style="gateway")
        sub = request.url.path.split("/")[2] if request.url.path.lower().startswith("/subscriptions/") else ""
        if fault.kind == "throttle":
            action = {"GET": "read", "DELETE": "delete"}.get(request.method.upper(), "write")
            raise gateway(
                429,
                fault.code or "SubscriptionRequestsThrottled",
                fault.message
                or f"Number of '{action}' requests for subscription '{sub}' actor '{uuid.uuid4()}' exceeded. "
                f"Please try again after '{fault.retry_after}' seconds after additional tokens are available. "
                "Refer to https://aka.ms/arm-throttling",
                **{"Retry-After": str(fault.retry_after)},
            )
        if fault.status == 500:
            raise ArmError(
                500,
                fault.code or "CloudInternalError",
                fault.message or _INTERNAL_ERROR,
                recommended=["Please retry the operation after some time. If the issue persists, contact support."],
                retryable=True,
                headers={"x-ms-failure-cause": "service"},
            )
        code, message = {
            502: ("BadGateway", "The gateway received an invalid response from 'Microsoft.DataProtection'."),
            503: ("ServiceUnavailable", "The service is temporarily unavailable. Please try again later."),
            504: (
                "GatewayTimeout",
                "The gateway did not receive a response from 'Microsoft.DataProtection' within the specified time "
                "period.",
            ),
        }.get(fault.status, ("InjectedFault", f"HTTP {fault.status} (fault injected by the emulator)."))
        raise gateway(fault.status, fault.code or code, fault.message or message)

    def _response(self, request: Request, reply: Reply) -> Response:
        method = request.method.upper()
        kind = {"GET": "reads", "DELETE": "deletes"}.get(method, "writes")
        headers = {
            "Cache-Control": "no-cache",
            "Pragma": "no-cache",
            "Expires": "-1",
            "X-Content-Type-Options": "nosniff",
            "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
            "x-ms-request-id": str(uuid.uuid4()),
            "x-ms-correlation-request-id": request.headers.get("x-ms-correlation-request-id") or str(uuid.uuid4()),
            "x-ms-routing-request-id": f"EMULATOR:{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}:{uuid.uuid4()}",
            f"x-ms-ratelimit-remaining-subscription-{kind}": "11999" if kind == "reads" else "799",
            "x-ms-ratelimit-remaining-subscription-resource-requests": "1099" if kind == "reads" else "799",
            "x-ms-throttling-version": "v1",
        }
        if request.headers.get("x-ms-client-request-id"):
            headers["x-ms-client-request-id"] = request.headers["x-ms-client-request-id"]
        headers.update(reply.headers)
        if reply.body is None:
            headers.pop("Content-Type", None)
            return Response(b"", status_code=reply.status, headers=headers)
        content = json.dumps(reply.body, separators=(",", ":")).encode()
        media = headers.pop("Content-Type", "application/json; charset=utf-8")
        return Response(content, status_code=reply.status, headers=headers, media_type=media)

    # -- admin ---------------------------------------------------------------------------------------------------

    async def admin_health(self, request: Request) -> Response:
        """Settings of this run."""
        return JSONResponse(
            {
                "status": "ok",
                "apiVersion": API_VERSION,
                "apiVersions": list(API_VERSIONS),
                "lroSeconds": self.config.lro_seconds,
                "lroProfile": self.config.lro_profile,
                "retryAfter": self.config.retry_after,
                "strictDatasources": self.registry.strict,
                "strictResourceGroups": groups.strict(self.service),
                "database": self.store.path,
            }
        )

    async def admin_requests(self, request: Request) -> Response:
        """The request log (``?since=N`` for entries after sequence number N); DELETE clears it."""
        if request.method == "DELETE":
            self.log.clear()
            return Response(status_code=204)
        text = request.query_params.get("since", "0")
        if not (text.isascii() and text.isdigit()):
            raise AdminInputError("InvalidSince", f"since must be a sequence number (0 or more), got {text!r}")
        since = int(text)
        return JSONResponse({"value": self.log.since(since)})

    async def admin_faults(self, request: Request) -> Response:
        """List, add (POST a rule) or clear (DELETE) fault rules."""
        if request.method == "DELETE":
            self.faults.clear()
            return Response(status_code=204)
        if request.method == "POST":
            data = await _json_body(request, "InvalidFault")
            try:
                fault = self.faults.add(Fault.from_json(data))
            except ValueError as exc:
                raise AdminInputError("InvalidFault", str(exc)) from exc
            return JSONResponse(fault.to_json(), status_code=201)
        return JSONResponse({"value": self.faults.rules()})

    async def admin_fault(self, request: Request) -> Response:
        """Remove one fault rule."""
        removed = self.faults.remove(int(request.path_params["fault_id"]))
        return Response(status_code=204 if removed else 404)

    async def admin_reset(self, request: Request) -> Response:
        """Forget all state, the request log and the faults (datasources back to the configured registry)."""
        self.store.wipe()
        self.log.clear()
        self.faults.clear()
        self.registry = self._registry()
        self.service.registry = self.registry
        return Response(status_code=204)

    async def admin_snapshot(self, request: Request) -> Response:
        """All state as JSON (GET), or back to such a state (POST it); the log, faults and datasources stay."""
        if request.method == "GET":
            return JSONResponse(self.store.dump())
        data = await _json_body(request, "InvalidSnapshot")
        if not _is_snapshot(data):
            raise AdminInputError(
                "InvalidSnapshot",
                'POST what GET /_emulator/snapshot returned: {"documents": [{"kind", "key", "parent", "data"}, ...], '
                '"settings": {"<name>": "<value>"}}',
            )
        self.store.load(data)
        return Response(status_code=204)

    async def admin_clock(self, request: Request) -> Response:
        """Emulator time; POST ``{"advanceSeconds": N}`` moves it forward (e.g. past a soft-delete purge)."""
        if request.method == "POST":
            data = await _json_body(request, "InvalidClock")
            seconds = data.get("advanceSeconds") if isinstance(data, dict) else None
            if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds < math.inf:
                raise AdminInputError("InvalidClock", 'POST {"advanceSeconds": <a finite number >= 0>}')
            with self.store.transaction():
                offset = float(self.store.setting("clock_offset", "0")) + float(seconds)
                self.store.set_setting("clock_offset", repr(offset))
        offset = float(self.store.setting("clock_offset", "0"))
        return JSONResponse({"now": iso(self.store.now()), "offsetSeconds": offset})

    async def admin_datasources(self, request: Request) -> Response:
        """Register an existing datasource (switches the registry to strict mode)."""
        data = await _json_body(request, "InvalidDatasource")
        rid = data.get("id") if isinstance(data, dict) else None
        location = data.get("location", "") if isinstance(data, dict) else ""
        if not isinstance(rid, str) or not rid.lower().startswith("/subscriptions/") or not isinstance(location, str):
            raise AdminInputError(
                "InvalidDatasource", 'POST {"id": "/subscriptions/...", "location": "<region>"} (location optional)'
            )
        self.registry.add(rid, location)
        return Response(status_code=204)

    async def admin_resource_groups(self, request: Request) -> Response:
        """Register an existing resource group (switches the group check to strict)."""
        data = await _json_body(request, "InvalidResourceGroup")
        fields = [data.get(k) if isinstance(data, dict) else None for k in ("subscriptionId", "name", "location")]
        if not all(isinstance(f, str) and f for f in fields):
            raise AdminInputError(
                "InvalidResourceGroup", 'POST {"subscriptionId": "<guid>", "name": "<group>", "location": "<region>"}'
            )
        sub, name, location = (str(f) for f in fields)
        with self.store.transaction():
            groups.register(self.service, sub, name, location)
        return Response(status_code=204)

    async def admin_restored(self, request: Request) -> Response:
        """The resources restores created (databases, containers, namespaces, disks, files)."""
        return JSONResponse({"value": self.store.select(restore.RESTORED)})

    async def admin_guard_access(self, request: Request) -> Response:
        """Access to resource guards: list, grant (POST ``{"resourceGuardId", "seconds"}``) or revoke all (DELETE)."""
        if request.method == "DELETE":
            with self.store.transaction():
                for grant in self.store.select(GRANT):
                    self.store.delete(GRANT, grant["guard"])
            return Response(status_code=204)
        if request.method == "POST":
            data = await _json_body(request, "InvalidGrant")
            guard = data.get("resourceGuardId") if isinstance(data, dict) else None
            seconds = data.get("seconds", 3600) if isinstance(data, dict) else None
            if (
                not isinstance(guard, str)
                or "/resourceguards/" not in guard.lower()
                or not isinstance(seconds, int | float)
                or isinstance(seconds, bool)
                or not 0 < seconds < math.inf
            ):
                raise AdminInputError(
                    "InvalidGrant", 'POST {"resourceGuardId": "...", "seconds": <a finite number > 0>}'
                )
            with self.store.transaction():
                self.store.put(GRANT, guard, {"guard": guard, "until": self.store.now() + float(seconds)})
            return Response(status_code=204)
        grants = [{"resourceGuardId": g["guard"], "until": iso(g["until"])} for g in self.store.select(GRANT)]
        return JSONResponse({"value": grants})

    async def admin_tenants(self, request: Request) -> Response:
        """Subscriptions in other tenants (POST ``{"subscriptionId", "tenantId", "token"}``)."""
        if request.method == "POST":
            data = await _json_body(request, "InvalidTenant")
            keys = ("subscriptionId", "tenantId", "token")
            if not isinstance(data, dict) or not all(isinstance(data.get(k), str) and data[k] for k in keys):
                raise AdminInputError(
                    "InvalidTenant", 'POST {"subscriptionId", "tenantId", "token"} (non-empty strings)'
                )
            with self.store.transaction():
                self.store.put(TENANT, data["subscriptionId"], {k: data[k] for k in keys})
            return Response(status_code=204)
        tenants = self.store.select(TENANT)
        return JSONResponse(
            {"value": [{"subscriptionId": t["subscriptionId"], "tenantId": t["tenantId"]} for t in tenants]}
        )


def _is_snapshot(data: Any) -> bool:
    """Whether ``data`` has the shape of ``GET /_emulator/snapshot``'s answer."""
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        return False
    settings = data.get("settings")
    if not isinstance(settings, dict) or not all(isinstance(v, str) for v in settings.values()):
        return False
    return all(
        isinstance(d, dict)
        and isinstance(d.get("kind"), str)
        and isinstance(d.get("key"), str)
        and (d.get("parent") is None or isinstance(d.get("parent"), str))
        and isinstance(d.get("data"), dict)
        for d in data["documents"]
    )


def _json_or_text(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


def _apply_accept_quirk(request: Request, reply: Reply) -> Reply:
    """DataProtection answers 406 with no body instead of its 400/409 error when the Accept header carries a
    ``charset`` parameter (e.g. ``application/json; charset=utf-8; IEEE754Compatible=false`` sent by the Go SDK)."""
    accept = request.headers.get("accept", "")
    if reply.status in (400, 409) and "charset=" in accept.lower():
        return Reply(406)
    return reply
