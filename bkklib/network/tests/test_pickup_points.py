"""Pickup points for a patron: home first, the nearest next (by coordinates, else the same district),
then the others in Thai order; only open branches with a desk; the form field validates the same rule."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bkklib.core.collation import sort_key
from bkklib.network import queries, rules
from bkklib.network.forms import PickupBranchField
from bkklib.network.models import Branch

from .factories import BranchFactory, district

pytestmark = pytest.mark.django_db
LIB = Branch.Kind.PUBLIC_LIBRARY


@pytest.fixture
def branches():
    home = BranchFactory(code="home", name_th="ห้องสมุดบ้าน", kind=LIB, district=district("1001"),
                         latitude="13.750000", longitude="100.500000")
    return {
        "home": home,
        "km2": BranchFactory(code="km2", name_th="ห้องสมุดสองกิโล", kind=LIB, district=district("1005"),
                             latitude="13.768000", longitude="100.500000"),
        "km1": BranchFactory(code="km1", name_th="ห้องสมุดหนึ่งกิโล", kind=LIB, district=district("1005"),
                             latitude="13.759000", longitude="100.500000"),
        "far": BranchFactory(code="far", name_th="คลองสามวา", kind=LIB, district=district("1005"),
                             latitude="13.900000", longitude="100.800000"),
        "same_district": BranchFactory(code="samedist", name_th="บ้านหนังสือไม่มีพิกัด", kind=Branch.Kind.READING_HOUSE,
                                       district=district("1001")),
        "elsewhere": BranchFactory(code="elsewhere", name_th="คลองเตย", kind=LIB, district=district("1005")),
        "office": BranchFactory(code="office", name_th="กองห้องสมุด", kind=Branch.Kind.OFFICE, district=district("1001"),
                                latitude="13.750100", longitude="100.500100"),
        "mobile": BranchFactory(code="mobile", name_th="รถห้องสมุด", kind=Branch.Kind.MOBILE_UNIT,
                                district=district("1001")),
        "closed": BranchFactory(code="closed", name_th="ห้องสมุดปิดซ่อม", kind=LIB, district=district("1001"),
                                status=Branch.Status.UNDER_RENOVATION, latitude="13.750200", longitude="100.500000"),
    }


def codes(items):
    return [b.code for b in items]


def test_home_then_nearest_by_distance_then_the_rest_in_thai_order(branches):
    choices = queries.pickup_points_near(branches["home"], nearby=3)
    assert codes(choices.nearby) == ["home", "km1", "km2", "far"]
    # The three nearest are measured ones; the rest in Thai order.
    assert codes(choices.others) == ["elsewhere", "samedist"]
    assert 0.9 < choices.distances[branches["km1"].pk] < 1.1 and 1.9 < choices.distances[branches["km2"].pk] < 2.1
    assert {"office", "mobile", "closed"}.isdisjoint(codes(choices))
    assert len(choices) == queries.pickup_points().count() == 6


def test_the_same_district_comes_first_when_the_home_has_no_coordinates(branches):
    home = branches["same_district"]
    choices = queries.pickup_points_near(home)
    assert codes(choices.nearby) == ["samedist", "home"]  # the district's only other pickup point
    assert choices.distances == {}
    assert codes(choices.others)[:2] == ["elsewhere", "far"]  # คลองเตย, คลองสามวา


def test_a_home_that_takes_no_pickups_still_orders_its_neighbours_first(branches):
    choices = queries.pickup_points_near(branches["closed"], nearby=2)
    assert codes(choices.nearby) == ["home", "km1"]


def test_thai_order_is_dictionary_order_not_code_points():
    names = ["คลองสามวา", "คลองเตย", "เกาะสีชัง", "กรุงเทพ"]
    assert sorted(names, key=sort_key) == ["กรุงเทพ", "เกาะสีชัง", "คลองเตย", "คลองสามวา"]
    assert sorted(names) != sorted(names, key=sort_key)


def test_nearest_ranks_measured_places_before_unmeasured_ones_of_the_district():
    origin = rules.Place(1, 13.75, 100.5, district_id=7)
    places = [rules.Place(2, None, None, 7), rules.Place(3, 13.80, 100.5, 8), rules.Place(4, None, None, 8),
              rules.Place(1, 13.75, 100.5, 7)]
    assert [pk for pk, _km in rules.nearest(origin, places, limit=5)] == [3, 2]
    assert rules.nearest(origin, places, limit=0) == []


@translation.override("th")
def test_the_field_accepts_pickup_points_only(branches):
    field = PickupBranchField(to_field_name="code", pickup=queries.pickup_points_near(branches["home"]))
    assert field.clean("km1") == branches["km1"]
    for code in ("office", "mobile", "closed", "nowhere"):
        with pytest.raises(ValidationError) as refused:
            field.clean(code)
        assert "ไม่รับให้มารับหนังสือ" in str(refused.value)
    html = field.widget.render("branch", "home")
    assert '<optgroup label="ห้องสมุดของคุณและที่อยู่ใกล้">' in html and 'selected' in html
    assert 'data-search=' in html
