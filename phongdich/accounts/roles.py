"""Roles and the one table of what each role may do (RapidPro's OrgRole + GROUP_PERMISSIONS)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STEERING = "steering", _("Ban Chỉ đạo thành phố")
    CITY_ADMIN = "city_admin", _("Quản trị thành phố")
    DISTRICT_OFFICER = "district_officer", _("Cán bộ quận/huyện")
    WARD_OFFICER = "ward_officer", _("Cán bộ trạm y tế phường/xã")
    TEAM_MEMBER = "team_member", _("Thành viên tổ cộng đồng")
    DOCTOR = "doctor", _("Thầy thuốc đồng hành")
    HOTLINE = "hotline", _("Tổng đài viên")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")


class Perm(models.TextChoices):
    CASE_VIEW = "case.view", _("Xem F0")
    CASE_EDIT = "case.edit", _("Đăng ký, sửa F0")
    PERSON_VIEW = "person.view", _("Xem người")
    PERSON_EDIT = "person.edit", _("Sửa, gộp người")
    IMPORT_RUN = "import.run", _("Nhập danh sách")
    AUDIT_VIEW = "audit.view", _("Xem nhật ký")
    POPULATION_EDIT = "population.edit", _("Sửa dân số")
    TEAM_EDIT = "team.edit", _("Quản lý tổ")
    USER_ADMIN = "user.admin", _("Quản lý tài khoản")
    DECLARATION_ENTER = "declaration.enter", _("Khai báo sức khỏe hộ F0")
    ALERT_HANDLE = "alert.handle", _("Xử lý cảnh báo, phân công theo dõi")
    MEDICINE_DISPENSE = "medicine.dispense", _("Cấp phát thuốc")
    MEDICINE_PRESCRIBE = "medicine.prescribe", _("Kê đơn túi thuốc B")
    STOCK_EDIT = "stock.edit", _("Nhập kho thuốc")
    FACILITY_EDIT = "facility.edit", _("Quản lý cơ sở điều trị")
    CASE_TRANSFER = "case.transfer", _("Chuyển tầng, chuyển viện, ra viện")
    CASE_RELEASE = "case.release", _("Xác nhận hoàn thành cách ly")
    VACCINATION_EDIT = "vaccination.edit", _("Ghi mũi tiêm, lập kế hoạch tiêm")
    CONTACT_EDIT = "contact.edit", _("Ghi F1, theo dõi cách ly")
    REQUEST_TAKE = "request.take", _("Tiếp nhận phản ánh, yêu cầu của người dân")
    REQUEST_HANDLE = "request.handle", _("Xử lý, trả lời phản ánh")
    PAYMENT_EDIT = "payment.edit", _("Lập, ghi chi trả hỗ trợ")
    CONFIG_EDIT = "config.edit", _("Sửa cấu hình thành phố: mức hỗ trợ, thời hạn trả lời")


_READ = {Perm.CASE_VIEW, Perm.PERSON_VIEW}
_CARE = {Perm.DECLARATION_ENTER, Perm.ALERT_HANDLE, Perm.MEDICINE_DISPENSE, Perm.CASE_TRANSFER, Perm.REQUEST_HANDLE}
_OFFICER = (
    _READ
    | _CARE
    | {
        Perm.CASE_EDIT,
        Perm.PERSON_EDIT,
        Perm.IMPORT_RUN,
        Perm.TEAM_EDIT,
        Perm.STOCK_EDIT,
        Perm.CASE_RELEASE,
        Perm.VACCINATION_EDIT,
        Perm.CONTACT_EDIT,
        Perm.REQUEST_TAKE,
        Perm.PAYMENT_EDIT,
    }
)

ROLE_PERMS: dict[str, frozenset[str]] = {
    Role.STEERING: frozenset(_READ | {Perm.AUDIT_VIEW}),
    Role.CITY_ADMIN: frozenset(
        _OFFICER | {Perm.AUDIT_VIEW, Perm.POPULATION_EDIT, Perm.USER_ADMIN, Perm.FACILITY_EDIT, Perm.CONFIG_EDIT}
    ),
    Role.DISTRICT_OFFICER: frozenset(_OFFICER | {Perm.AUDIT_VIEW, Perm.FACILITY_EDIT}),
    Role.WARD_OFFICER: frozenset(_OFFICER),
    # Community teams declare on patients' behalf, take alerts, hand out packages A, trace F1 and answer requests.
    Role.TEAM_MEMBER: frozenset(
        _READ
        | {Perm.DECLARATION_ENTER, Perm.ALERT_HANDLE, Perm.MEDICINE_DISPENSE, Perm.CONTACT_EDIT, Perm.REQUEST_HANDLE}
    ),
    Role.DOCTOR: frozenset(_READ | _CARE | {Perm.MEDICINE_PRESCRIBE}),
    # Hotline operators take calls and messages, route them, and answer what they can on the line.
    Role.HOTLINE: frozenset(
        _READ | {Perm.CASE_EDIT, Perm.PERSON_EDIT, Perm.DECLARATION_ENTER, Perm.REQUEST_TAKE, Perm.REQUEST_HANDLE}
    ),
    Role.LEADER: frozenset(_READ),
}


def role_allows(role: str, perm: str) -> bool:
    return perm in ROLE_PERMS.get(role, frozenset())
