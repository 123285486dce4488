"""Pure, lossless text <-> structure codecs. No I/O happens here."""
