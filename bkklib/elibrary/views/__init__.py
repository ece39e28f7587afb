"""Page adapters of the e-library: the public pages (``public``, ``reader``) and the staff pages (``staff``)."""
