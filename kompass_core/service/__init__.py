"""``kompass serve``: the engine over HTTP, a thin shell over the public API.

Tools that embed kompass are not all written in Python; this package gives
them the command line's work as JSON over HTTP (docs/service.md). Like the
command line it uses only kompass_core's exported names, so it adds no
behaviour of its own: the same input gives the same card and the same
one-line errors, as RFC 9457 problem details.
"""
