"""An AKS trusted-access role binding as a resource: TrustedAccessBinding."""
