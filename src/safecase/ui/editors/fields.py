"""Scalar field widgets for record forms: one widget per field type, each turning its state into a body value.

Every widget shows user text as plain text only (QLineEdit, QPlainTextEdit), reports ``changed`` on every edit,
and returns ``None`` from ``value()`` when the field is empty (the form then leaves the field out). A value that
cannot be parsed (``12a`` in a number field) is returned as the text typed, so validation names the field.
"""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from safecase.domain.partial_date import PartialDate, Precision
from safecase.domain.vocabulary import Vocabulary
from safecase.errors import ValidationError


class FieldWidget(QWidget):
    """The interface every field editor offers the form."""

    changed = Signal()  # the user (or set_value) changed the value

    def value(self) -> object:
        raise NotImplementedError

    def set_value(self, value: object) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    def set_accessible_name(self, name: str) -> None:
        self.setAccessibleName(name)


def _single(widget: QWidget, inner: QWidget) -> None:
    layout = QHBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(inner)
    widget.setFocusProxy(inner)


class LineField(FieldWidget):
    """One line of text (also country codes, partial dates and numbers, via subclasses)."""

    def __init__(self, parent: QWidget | None = None, *, max_length: int = 0, placeholder: str = "") -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        if max_length:
            self.edit.setMaxLength(max_length)
        self.edit.setPlaceholderText(placeholder)
        self.edit.textChanged.connect(self.changed)
        _single(self, self.edit)

    def value(self) -> object:
        text = self.edit.text()
        return text if text.strip() else None

    def set_value(self, value: object) -> None:
        self.edit.setText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def set_accessible_name(self, name: str) -> None:
        super().set_accessible_name(name)
        self.edit.setAccessibleName(name)


class DateField(LineField):
    """A partial date: year, year-month or full date, optionally approximate (``~2019-03``), with the precision
    it states shown beside it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_length=11)
        self.edit.setPlaceholderText(self.tr("YYYY, YYYY-MM or YYYY-MM-DD (~ if approximate)"))
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"~?[0-9-]{0,10}"), self.edit))
        self.precision = QLabel(self)
        self.precision.setTextFormat(Qt.TextFormat.PlainText)
        layout = self.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.addWidget(self.precision)
        self.edit.textChanged.connect(self._on_edit_text_changed)

    def _on_edit_text_changed(self, text: str) -> None:
        try:
            date = PartialDate.parse(text) if text.strip() else None
        except ValidationError:
            date = None
        if date is None:
            self.precision.setText("")
            return
        names = {
            Precision.YEAR: self.tr("year"),
            Precision.MONTH: self.tr("month"),
            Precision.DAY: self.tr("day"),
        }
        shown = self.tr("precise to the %1").replace("%1", names[date.precision])
        self.precision.setText(shown + (self.tr(", approximate") if date.approximate else ""))


class IntegerField(LineField):
    """A whole number typed as digits; out-of-range values are left to validation, which names the range."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_length=12)
        self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"-?[0-9]{0,11}"), self.edit))

    def value(self) -> object:
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            return text


class NumberField(LineField):
    """A decimal number (coordinates), always with a dot as the decimal separator."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_length=24)
        pattern = QRegularExpression(r"-?[0-9]{0,3}(\.[0-9]{0,12})?")
        self.edit.setValidator(QRegularExpressionValidator(pattern, self.edit))

    def value(self) -> object:
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            return text

    def set_value(self, value: object) -> None:
        self.edit.setText("" if value is None else repr(value) if isinstance(value, float) else str(value))


class MultilineField(FieldWidget):
    """Multi-line plain text; never rich text, whatever is pasted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(True)
        self.edit.textChanged.connect(self.changed)
        _single(self, self.edit)

    def value(self) -> object:
        text = self.edit.toPlainText()
        return text if text.strip() else None

    def set_value(self, value: object) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def set_accessible_name(self, name: str) -> None:
        super().set_accessible_name(name)
        self.edit.setAccessibleName(name)


class ChoiceField(FieldWidget):
    """A code from a vocabulary, shown with its label in the current language; the first entry is empty."""

    def __init__(self, vocabulary: Vocabulary, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self._vocabulary = vocabulary
        self._fill(lang)
        self.combo.currentIndexChanged.connect(self.changed)
        _single(self, self.combo)

    def _fill(self, lang: str) -> None:
        self.combo.addItem("", None)
        for term in self._vocabulary:
            self.combo.addItem(term.label(lang), term.code)

    def value(self) -> object:
        data = self.combo.currentData()
        return data if isinstance(data, str) and data else None

    def set_value(self, value: object) -> None:
        index = self.combo.findData(value) if isinstance(value, str) else 0
        if index < 0:  # a code from a newer version: keep it, shown as the code itself
            self.combo.addItem(str(value), value)
            index = self.combo.count() - 1
        self.combo.setCurrentIndex(index)

    def set_lang(self, lang: str) -> None:
        for index in range(1, self.combo.count()):
            code = self.combo.itemData(index)
            self.combo.setItemText(index, self._vocabulary.label(str(code), lang))

    def set_read_only(self, read_only: bool) -> None:
        self.combo.setEnabled(not read_only)

    def set_accessible_name(self, name: str) -> None:
        super().set_accessible_name(name)
        self.combo.setAccessibleName(name)


class BoolField(FieldWidget):
    """A tick box. A required flag is always stored (true or false); an optional one only when ticked, or when
    the record already stored it as false, so an unchanged record round-trips exactly."""

    def __init__(self, text: str, required: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox(text, self)
        self._required = required
        self._stored_false = False
        self.box.toggled.connect(self.changed)
        _single(self, self.box)

    def value(self) -> object:
        if self.box.isChecked():
            return True
        return False if self._required or self._stored_false else None

    def set_value(self, value: object) -> None:
        self._stored_false = value is False
        self.box.setChecked(value is True)

    def set_read_only(self, read_only: bool) -> None:
        self.box.setEnabled(not read_only)

    def set_accessible_name(self, name: str) -> None:
        super().set_accessible_name(name)
        self.box.setAccessibleName(name)
