"""Recommended default backup policies, one module per datasource kind, each defining ``POLICY_INPUTS`` with the
builders of :mod:`pulumi_dataprotection.policy.builders`. ``policy-template`` prints a module's source as the Python
form and
``POLICY.to_rest`` of its ``POLICY_INPUTS`` as the REST form, so both always say the same thing."""
