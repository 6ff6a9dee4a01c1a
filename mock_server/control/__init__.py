"""The control plane under ``/__wolkvox_mock__/``: the sub-app and its access rule (``app``),
its routes over the fake (``fake_ops``), faults and maintenance (``fault_ops``) and the fidelity
manifest (``fidelity``)."""

__all__: list[str] = []
