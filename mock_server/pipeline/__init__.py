"""How ``/api/v2/{family}.php`` is answered: reading a request the Wolkvox way (``request``),
running the checks in order (``endpoint``) and rendering the envelope (``response``)."""

__all__: list[str] = []
