from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách F0"),
        help_text=_("Excel (.xlsx, .xls), .ods hoặc .csv; dòng đầu là tiêu đề cột (Họ và tên, Ngày sinh, …)."),
    )
