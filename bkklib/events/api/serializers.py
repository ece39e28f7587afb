"""Serializers of the events API: outputs, and the inputs of the verbs."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bkklib.network.models import Branch

from ..models import Activity, AgeGroup, Festival, Gender, Project, ProjectTarget, Registration, Session


class FestivalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Festival
        fields = ["id", "year", "month", "name_th", "name_en", "theme", "starts_on", "ends_on"]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectTarget
        fields = ["age_group", "participants"]


class ProjectSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, required=False)

    class Meta:
        model = Project
        fields = ["id", "fiscal_year", "name", "objectives", "budget", "target_activities", "targets"]


class ActivitySerializer(serializers.ModelSerializer):
    branch = serializers.SlugRelatedField(slug_field="code", queryset=Branch.objects.all(), allow_null=True,
                                          required=False)
    festival = serializers.PrimaryKeyRelatedField(queryset=Festival.objects.all(), allow_null=True, required=False)
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), allow_null=True, required=False)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "title", "description", "branch", "place", "audience", "min_age", "max_age", "registration",
                  "capacity", "waitlist", "festival", "project", "organiser", "partner", "online_url", "status",
                  "repeat_weekly_until", "url"]
        read_only_fields = ["repeat_weekly_until"]

    def get_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("events:detail", args=[obj.pk])

    def validate(self, data):
        branch = data.get("branch", getattr(self.instance, "branch", None))
        place = data.get("place", getattr(self.instance, "place", ""))
        if branch is None and not place:
            raise serializers.ValidationError({"branch": [_("Give a branch or an off-site place.")]})
        low = data.get("min_age", getattr(self.instance, "min_age", None))
        high = data.get("max_age", getattr(self.instance, "max_age", None))
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError({"max_age": [_("The upper age is below the lower age.")]})
        return data


class SessionSerializer(serializers.ModelSerializer):
    registered = serializers.IntegerField(read_only=True, default=None)
    waiting = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Session
        fields = ["id", "activity", "starts_at", "ends_at", "capacity", "room", "cancelled", "registered", "waiting"]


class RegistrationSerializer(serializers.ModelSerializer):
    patron_card = serializers.CharField(source="patron.card_number", read_only=True, default=None)
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "session", "patron_card", "name", "age_group", "gender", "status", "position", "channel",
                  "token", "registered_at", "promoted_at", "cancelled_at", "checked_in_at", "wants_certificate"]


class GuestInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    phone = serializers.RegexField(r"^0[0-9]{8,9}$", max_length=10)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices)
    consent = serializers.BooleanField()


class RegisterInput(serializers.Serializer):
    session = serializers.IntegerField(min_value=1)
    patron_card = serializers.CharField(max_length=40, required=False)
    guest = GuestInput(required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False, default=Gender.UNSPECIFIED)
    wants_certificate = serializers.BooleanField(required=False, default=False)

    def validate(self, data):
        if bool(data.get("patron_card")) == bool(data.get("guest")):
            raise serializers.ValidationError({"patron_card": [_("Give a patron's card or a guest, not both.")]})
        return data


class CancelInput(serializers.Serializer):
    registration = serializers.IntegerField(min_value=1)


class CheckInInput(serializers.Serializer):
    session = serializers.IntegerField(min_value=1)
    code = serializers.CharField(max_length=64)


class ScheduleInput(serializers.Serializer):
    activity = serializers.IntegerField(min_value=1)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    weekly_until = serializers.DateField(required=False, allow_null=True, default=None)
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    room = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CancelOutput(serializers.Serializer):
    cancelled = RegistrationSerializer()
    promoted = RegistrationSerializer(many=True)
