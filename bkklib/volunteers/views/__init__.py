"""Pages of volunteers: public and volunteer's own (``public``), staff (``staff``)."""
