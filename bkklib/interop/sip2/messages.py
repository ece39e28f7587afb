"""The SIP2 messages bkklib speaks: fixed fields (name, width) of each request and response.

Variable fields are two-letter codes (AO institution, AA patron, AB item, AC terminal password,
AD patron password, AJ title, AH due date, AF screen message, AG print line, BV fee amount...).
"""
from dataclasses import dataclass

DATE = 18  # YYYYMMDDZZZZHHMMSS


@dataclass(frozen=True)
class Spec:
    name: str
    fixed: tuple[tuple[str, int], ...] = ()


REQUESTS = {
    "93": Spec("login", (("uid_algorithm", 1), ("pwd_algorithm", 1))),
    "99": Spec("sc_status", (("status_code", 1), ("max_print_width", 3), ("protocol_version", 4))),
    "23": Spec("patron_status", (("language", 3), ("transaction_date", DATE))),
    "63": Spec("patron_information", (("language", 3), ("transaction_date", DATE), ("summary", 10))),
    "17": Spec("item_information", (("transaction_date", DATE),)),
    "11": Spec("checkout", (("renewal_policy", 1), ("no_block", 1), ("transaction_date", DATE),
                            ("nb_due_date", DATE))),
    "09": Spec("checkin", (("no_block", 1), ("transaction_date", DATE), ("return_date", DATE))),
    "29": Spec("renew", (("third_party", 1), ("no_block", 1), ("transaction_date", DATE), ("nb_due_date", DATE))),
    "65": Spec("renew_all", (("transaction_date", DATE),)),
    "37": Spec("fee_paid", (("transaction_date", DATE), ("fee_type", 2), ("payment_type", 2), ("currency", 3))),
    "15": Spec("hold", (("mode", 1), ("transaction_date", DATE))),
    "35": Spec("end_session", (("transaction_date", DATE),)),
    "97": Spec("resend"),
}

RESPONSES = {
    "94": Spec("login", (("ok", 1),)),
    "98": Spec("acs_status", (("online", 1), ("checkin_ok", 1), ("checkout_ok", 1), ("renewal_policy", 1),
                              ("status_update_ok", 1), ("offline_ok", 1), ("timeout", 3), ("retries", 3),
                              ("date", DATE), ("protocol_version", 4))),
    "24": Spec("patron_status", (("status", 14), ("language", 3), ("date", DATE))),
    "64": Spec("patron_information", (("status", 14), ("language", 3), ("date", DATE), ("holds", 4),
                                      ("overdue", 4), ("charged", 4), ("fines", 4), ("recalls", 4),
                                      ("unavailable_holds", 4))),
    "18": Spec("item_information", (("circulation_status", 2), ("security_marker", 2), ("fee_type", 2),
                                    ("date", DATE))),
    "12": Spec("checkout", (("ok", 1), ("renewal_ok", 1), ("magnetic", 1), ("desensitize", 1), ("date", DATE))),
    "10": Spec("checkin", (("ok", 1), ("resensitize", 1), ("magnetic", 1), ("alert", 1), ("date", DATE))),
    "30": Spec("renew", (("ok", 1), ("renewal_ok", 1), ("magnetic", 1), ("desensitize", 1), ("date", DATE))),
    "66": Spec("renew_all", (("ok", 1), ("renewed", 4), ("unrenewed", 4), ("date", DATE))),
    "38": Spec("fee_paid", (("accepted", 1), ("date", DATE))),
    "16": Spec("hold", (("ok", 1), ("available", 1), ("date", DATE))),
    "36": Spec("end_session", (("end", 1), ("date", DATE))),
    "96": Spec("resend"),
}

# Which requests the server supports, in the order of the ACS status message's BX field (16 flags):
# patron status, checkout, checkin, block patron, SC/ACS status, request resend, login, patron
# information, end patron session, fee paid, item information, item status update, patron enable,
# hold, renew, renew all.
SUPPORTED = "YYYNYYYYYYYNNYYY"

# Item circulation status (18 message).
CIRC_OTHER, CIRC_ON_ORDER, CIRC_AVAILABLE, CIRC_CHARGED = "01", "02", "03", "04"
CIRC_IN_PROCESS, CIRC_ON_HOLD_SHELF, CIRC_IN_TRANSIT, CIRC_LOST, CIRC_MISSING = "06", "08", "10", "12", "13"
