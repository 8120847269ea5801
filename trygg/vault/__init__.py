"""The vault: per-person encryption keys, blind indexes and crypto-shredding.

Use it as `from trygg.vault import vault`; the module docstring of `trygg/vault/vault.py` says
how it works. The vault imports no other trygg app but `trygg.lib`: its callers audit their own
reads and writes.
"""
