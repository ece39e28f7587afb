"""Small builders shared by the acquisitions tests."""
from decimal import Decimal

from bkklib.acquisitions import services


def placed_order(site, *, lines=((2, "300"),), split=False, now=None, request=None):
    """An order of ``site.vendor`` with ``lines`` of (quantity, unit price), approved and placed.

    ``split``: each line's copies go half to ``site.fund`` at the branch, half to ``site.fund_b`` at the other.
    """
    from .conftest import NOW

    now = now or NOW
    order = services.create_order(vendor=site.vendor, branch=site.branch, year=2569, now=now)
    for i, (quantity, price) in enumerate(lines):
        if split:
            half = quantity // 2
            allocations = [(site.branch, site.fund, "GEN", quantity - half), (site.other, site.fund_b, "CHILD", half)]
        else:
            allocations = [(site.branch, site.fund, "GEN", quantity)]
        services.add_line(order=order, title=f"หนังสือสั่งซื้อ {i + 1}", author="ผู้แต่ง ทดสอบ", quantity=quantity,
                          unit_price=Decimal(price), allocations=allocations, request=request if i == 0 else None)
    services.approve_order(order=order, by=site.admin, now=now)
    return services.place_order(order=order, by=site.admin, now=now)
