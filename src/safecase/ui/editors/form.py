"""Forms built from a kind's field specs: a row (label, widget, help, error) per field, nested objects as group
boxes, lists as add/remove lists. ``ObjForm.value()`` gives the body, ``set_value`` fills the form from one, and
``show_error(path, message)`` puts a validation message beside the field a dotted path (``acts[0].type``) names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from safecase.domain.field_labels import field_help, field_label
from safecase.domain.fields import (
    Boolean,
    Choice,
    CountryCode,
    FieldType,
    Integer,
    Number,
    PartialDateType,
    Ref,
    Text,
)
from safecase.domain.structures import ListOf, Obj, Prop
from safecase.ui.editors.context import EditorContext
from safecase.ui.editors.fields import (
    BoolField,
    ChoiceField,
    DateField,
    FieldWidget,
    IntegerField,
    LineField,
    MultilineField,
    NumberField,
)
from safecase.ui.editors.ref_picker import RefPicker
from safecase.ui.widgets.plain import PlainLabel

_HEAD = re.compile(r"([a-z0-9_]+)\.?(.*)")
_INDEX = re.compile(r"\[(\d+)\]\.?(.*)")
FieldFactory = Callable[[], FieldWidget]


class ErrorLabel(PlainLabel):
    """A validation message under a field, in red; hidden while there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #b00020;")
        self.setAccessibleName(self.tr("Error"))
        self.hide()

    def show_message(self, message: str) -> None:
        self.setText(message)
        self.setAccessibleDescription(message)
        self.setVisible(bool(message))


class FieldRow(QWidget):
    """One field: its label on top, the widget, the help text and the error message below."""

    def __init__(self, context: EditorContext, path: str, widget: FieldWidget, *, show_label: bool = True) -> None:
        super().__init__()
        self._context = context
        self.path = path
        self.widget = widget
        self.help_enabled = True
        self.label = PlainLabel("", self)
        self.label.setBuddy(widget)
        self.label.setVisible(show_label)
        self.help = PlainLabel("", self)
        self.help.setWordWrap(True)
        self.help.setStyleSheet("color: palette(placeholder-text);")
        self.error = ErrorLabel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setSpacing(2)
        for part in (self.label, widget, self.help, self.error):
            layout.addWidget(part)
        self.setFocusProxy(widget)
        self.set_lang(context.lang)

    def set_lang(self, lang: str) -> None:
        label = field_label(self._context.kind, self.path, lang)
        self.label.setText(label)
        self.widget.set_accessible_name(label)
        help_text = field_help(self._context.kind, self.path, lang)
        self.help.setText(help_text)
        self.help.setVisible(bool(help_text) and self.help_enabled)
        if isinstance(self.widget, BoolField):
            self.widget.box.setText(label)
        if isinstance(self.widget, ChoiceField):
            self.widget.set_lang(lang)
        if isinstance(self.widget, ObjForm | ListField):
            self.widget.set_lang(lang)

    def show_error(self, message: str) -> None:
        self.error.show_message(message)
        self.widget.setAccessibleDescription(message)


class ObjForm(FieldWidget):
    """The fields of one object. With `auto_layout` the rows stack in declaration order; an editor with its own
    layout passes ``auto_layout=False`` and places ``rows[name]`` where it likes."""

    def __init__(
        self,
        obj: Obj,
        context: EditorContext,
        *,
        prefix: str = "",
        root: bool = False,
        auto_layout: bool = True,
        overrides: Mapping[str, FieldFactory] | None = None,
        titled: bool = False,
    ) -> None:
        super().__init__()
        prefix = prefix.replace("[].", ".")
        self._path = prefix.rstrip(".")
        self.group_box: QGroupBox | None = None
        self.obj = obj
        self._context = context
        self._root = root
        self.rows: dict[str, FieldRow] = {}
        self.form_error = ErrorLabel(self)
        for prop in obj.props:
            path = prefix + prop.name
            factory = (overrides or {}).get(path)
            widget = factory() if factory is not None else make_field(prop, path, context, overrides)
            row = FieldRow(context, path, widget, show_label=not isinstance(widget, BoolField | ObjForm))
            widget.changed.connect(self.changed)
            self.rows[prop.name] = row
        if auto_layout:
            self._lay_out(titled)

    def _lay_out(self, titled: bool) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        layout = outer
        if titled:
            self.group_box = QGroupBox(field_label(self._context.kind, self._path, self._context.lang), self)
            outer.addWidget(self.group_box)
            layout = QVBoxLayout(self.group_box)
        layout.addWidget(self.form_error)
        for row in self.rows.values():
            layout.addWidget(row)

    def value(self) -> object:
        body: dict[str, object] = {}
        for name, row in self.rows.items():
            item = row.widget.value()
            if item is not None:
                body[name] = item
        return body if body or self._root else None

    def body(self) -> dict[str, object]:
        value = self.value()
        return value if isinstance(value, dict) else {}

    def set_value(self, value: object) -> None:
        data = value if isinstance(value, dict) else {}
        for name, row in self.rows.items():
            row.widget.set_value(data.get(name))

    def set_read_only(self, read_only: bool) -> None:
        for row in self.rows.values():
            row.widget.set_read_only(read_only)

    def set_lang(self, lang: str) -> None:
        self._context.lang = lang
        if self.group_box is not None:
            self.group_box.setTitle(field_label(self._context.kind, self._path, lang))
        for row in self.rows.values():
            row.set_lang(lang)

    def clear_errors(self) -> None:
        self.form_error.show_message("")
        for row in self.rows.values():
            row.show_error("")
            if isinstance(row.widget, ObjForm | ListField):
                row.widget.clear_errors()

    def show_error(self, path: str, message: str) -> bool:
        """Show `message` beside the field at `path`; at the top of the form if no field matches."""
        match = _HEAD.fullmatch(path)
        row = self.rows.get(match.group(1)) if match else None
        if row is None or match is None:
            if self._root:
                self.form_error.show_message(message)
            return False
        rest = path[len(match.group(1)) :].lstrip(".")
        widget = row.widget
        if rest and isinstance(widget, ObjForm | ListField) and widget.show_error(rest, message):
            return True
        row.show_error(message)
        return True


class ListField(FieldWidget):
    """A list of items of one type, each with a Remove button, and an Add button."""

    def __init__(self, factory: FieldFactory, context: EditorContext, *, boxed: bool = False) -> None:
        super().__init__()
        self._factory = factory
        self._context = context
        self._boxed = boxed
        self._read_only = False
        self.items: list[FieldWidget] = []
        self._rows: list[QWidget] = []
        self._emitted: list[int] = []
        self.error = ErrorLabel(self)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setAccessibleName(self.tr("Add an item"))
        self.add_button.clicked.connect(self._on_add_clicked)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.error)
        self._layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)

    def add_item(self) -> FieldWidget:
        item = self._factory()
        item.changed.connect(self.changed)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        if self._boxed:
            box = QGroupBox(self.tr("Item %1").replace("%1", str(len(self.items) + 1)), row)
            QVBoxLayout(box).addWidget(item)
            line.addWidget(box, 1)
        else:
            line.addWidget(item, 1)
        remove = QPushButton(self.tr("Remove"), row)
        remove.setAccessibleName(self.tr("Remove this item"))
        remove.setVisible(not self._read_only)
        remove.clicked.connect(lambda: self._remove(row))
        line.addWidget(remove)
        self._layout.insertWidget(self._layout.count() - 1, row)
        self.items.append(item)
        self._rows.append(row)
        return item

    def _on_add_clicked(self) -> None:
        item = self.add_item()
        item.setFocus()
        self.changed.emit()

    def _remove(self, row: QWidget) -> None:
        position = self._rows.index(row)
        self._rows.pop(position)
        self.items.pop(position)
        row.deleteLater()
        self.changed.emit()

    def value(self) -> object:
        values: list[object] = []
        self._emitted = []
        for position, item in enumerate(self.items):
            item_value = item.value()
            if item_value is not None:
                values.append(item_value)
                self._emitted.append(position)
        return values or None

    def set_value(self, value: object) -> None:
        for row in self._rows:
            row.deleteLater()
        self._rows, self.items = [], []
        for item_value in value if isinstance(value, list) else []:
            self.add_item().set_value(item_value)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.add_button.setVisible(not read_only)
        for row, item in zip(self._rows, self.items, strict=True):
            item.set_read_only(read_only)
            for button in row.findChildren(QPushButton):
                button.setVisible(not read_only)

    def set_lang(self, lang: str) -> None:
        for item in self.items:
            if isinstance(item, ObjForm):
                item.set_lang(lang)

    def clear_errors(self) -> None:
        self.error.show_message("")
        for item in self.items:
            if isinstance(item, ObjForm):
                item.clear_errors()

    def show_error(self, path: str, message: str) -> bool:
        match = _INDEX.fullmatch(path)
        if match is None:
            return False
        emitted = int(match.group(1))
        position = self._emitted[emitted] if emitted < len(self._emitted) else emitted
        item = self.items[position] if position < len(self.items) else None
        if match.group(2) and isinstance(item, ObjForm) and item.show_error(match.group(2), message):
            return True
        self.error.show_message(self.tr("Item %1: ").replace("%1", str(position + 1)) + message)
        return True


def make_field(
    prop: Prop, path: str, context: EditorContext, overrides: Mapping[str, FieldFactory] | None = None
) -> FieldWidget:
    """The widget for `prop` (at dotted `path`, without list indices)."""
    return _widget_for(prop.type, path, context, prop.required, overrides)


def _widget_for(
    field_type: FieldType,
    path: str,
    context: EditorContext,
    required: bool,
    overrides: Mapping[str, FieldFactory] | None,
) -> FieldWidget:
    if isinstance(field_type, Obj):
        return ObjForm(field_type, context, prefix=path + ".", overrides=overrides, titled=not required_item(path))
    if isinstance(field_type, ListOf):
        item = field_type.item
        return ListField(
            lambda: _widget_for(item, path + "[]", context, False, overrides),
            context,
            boxed=isinstance(item, Obj),
        )
    return _scalar_widget(field_type, context, required)


def required_item(path: str) -> bool:
    """Whether `path` names a list item (marked ``[]`` while building), which its list frames itself."""
    return path.endswith("[]")


def _scalar_widget(field_type: FieldType, context: EditorContext, required: bool) -> FieldWidget:
    if isinstance(field_type, Text):
        return MultilineField() if field_type.multiline else LineField(max_length=max(field_type.max_length, 1))
    if isinstance(field_type, Choice):
        return ChoiceField(field_type.vocabulary, context.lang)
    if isinstance(field_type, Boolean):
        return BoolField("", required)
    if isinstance(field_type, Integer):
        return IntegerField()
    if isinstance(field_type, Number):
        return NumberField()
    if isinstance(field_type, PartialDateType):
        return DateField()
    if isinstance(field_type, Ref):
        return RefPicker(field_type.kinds, context)
    if isinstance(field_type, CountryCode):
        return LineField(max_length=2, placeholder="KP")
    return LineField()
