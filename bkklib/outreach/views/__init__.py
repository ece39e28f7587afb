"""Pages of outreach: public timetables (public.py), the volunteer desk PWA (desk.py), staff pages (staff.py)."""
