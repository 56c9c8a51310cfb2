"""The ribbon's server: the buttons' operations over HTTP, for xlwings' clients (``shengyuan serve``)."""
