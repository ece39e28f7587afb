"""Tables of the volunteers app: criteria and calls, applications, volunteers and their agreements,
shifts and hours, evaluations, welfare.

Sensitive fields (national ID, address, health notes) are stored sealed (``protect.seal``) and read
only through ``services.sensitive_fields``, which checks ``volunteers.view_sensitive`` and logs the read.

The tables live in sub-domain modules (recruitment, volunteers, shifts, evaluations, welfare); every name
is re-exported here, so ``from bkklib.volunteers.models import X`` (and the migrations' references to
``bkklib.volunteers.models.new_token`` / ``new_reference``) keep working.
"""
from .evaluations import Evaluation, EvaluationCriterion, EvaluationForm, Score
from .recruitment import Application, Call, Criteria, Role, new_reference, new_token
from .shifts import SIGNUP_HOLDING, CheckinPoint, Shift, Signup, SignupQuerySet, Swap
from .volunteers import Agreement, Volunteer
from .welfare import Benefit, WelfareRecord

__all__ = [
    "SIGNUP_HOLDING",
    "Agreement",
    "Application",
    "Benefit",
    "Call",
    "CheckinPoint",
    "Criteria",
    "Evaluation",
    "EvaluationCriterion",
    "EvaluationForm",
    "Role",
    "Score",
    "Shift",
    "Signup",
    "SignupQuerySet",
    "Swap",
    "Volunteer",
    "WelfareRecord",
    "new_reference",
    "new_token",
]
