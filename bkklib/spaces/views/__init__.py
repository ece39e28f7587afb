"""Page adapters of spaces: ``public`` (the website, patrons) and ``staff`` (/staff/spaces/)."""
