"""Deploy targets: the embedded emulator (moto), any AWS-compatible endpoint, and real AWS.

Import the targets from their modules (``cloudwright.deploy.emulator``, ``cloudwright.deploy.aws``);
this package stays import-light so the CLI starts fast.
"""
