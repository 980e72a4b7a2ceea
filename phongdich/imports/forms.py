from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại danh sách"),
        choices=[("cases", _("Danh sách F0")), ("doses", _("Danh sách mũi tiêm (tiêm chủng)"))],
        initial="cases",
        required=False,
    )
    file = forms.FileField(
        label=_("Tệp danh sách"),
        help_text=_("Excel (.xlsx, .xls), .ods hoặc .csv; dòng đầu là tiêu đề cột (Họ và tên, Ngày sinh, …)."),
    )
