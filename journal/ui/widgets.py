"""Small widgets shared by the pages: big and calm, keyboard-first, named for
assistive technology."""

from __future__ import annotations

import time

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSlider,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


def label(text: str, *, name: str = "", wrap: bool = True, selectable: bool = True) -> QLabel:
    """A label whose text can be selected and copied (an entry, a phone number,
    a message to look up), unless ``selectable`` is False: the first selectable
    label of a process costs Qt about 3 ms to set up, so the unlock page, shown
    before anything else and holding nothing to copy, has none."""
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    if name:
        widget.setObjectName(name)
    if selectable:
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return widget


class ReportView(QTextBrowser):
    """The therapist's report as Qt shows it. Every size in the report follows
    this view's font (see `journal.core.sharing.markup`): the desk size in the
    reader, the patient's own in the preview."""

    def __init__(self, accessible: str, *, size_pt: float | None = None) -> None:
        from journal.core.sharing.markup import READING_PT

        super().__init__()
        self.setOpenLinks(False)
        self.setAccessibleName(accessible)
        self.set_size(READING_PT if size_pt is None else size_pt)
        # Full-width tables can round to a pixel wider than the page; a scroll
        # bar for that pixel would only take a line of the first screen.
        self.horizontalScrollBar().rangeChanged.connect(self._horizontal_bar)

    def set_size(self, size_pt: float) -> None:
        self.setStyleSheet(f"QTextBrowser {{ font-size: {size_pt:g}pt; }}")

    def _horizontal_bar(self, _low: int, high: int) -> None:
        self.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if high <= 2
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )


class ActionButton(QPushButton):
    """A button. When it is the page's main action (object name "primary",
    filled with the accent colour) its focus is a double ring — the theme's
    focus colour outside, the button's text colour inside — so the ring
    stands out both from the page around it and from the accent fill (a
    single ring in the focus colour was 1.2:1 against the fill: invisible)."""

    RING = 3  # px, each of the two rings

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt naming)
        super().paintEvent(event)
        if not (self.hasFocus() and self.isEnabled() and self.objectName() == "primary"):
            return
        from journal.ui import theme

        current = theme.current()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for inset, colour in ((1, current.focus), (1 + self.RING, current.on_accent)):
            pen = QPen(QColor(colour), self.RING)
            painter.setPen(pen)
            painter.drawRoundedRect(
                QRectF(self.rect()).adjusted(inset, inset, -inset, -inset), 9, 9
            )
        painter.end()


def button(text: str, *, accessible: str = "", primary: bool = False) -> QPushButton:
    widget = ActionButton(text)
    widget.setAccessibleName(accessible or text.replace("&", ""))
    widget.setAutoDefault(True)
    if primary:
        widget.setObjectName("primary")
    return widget


def passphrase_field(accessible: str = "Passphrase") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(accessible)
    field.setPlaceholderText(accessible)
    return field


def announce(widget: QWidget) -> None:
    """Tell a screen reader that ``widget`` (a sentence: saved, locked, an
    error) changed, as an alert it speaks without the focus moving."""
    from PySide6.QtGui import QAccessible, QAccessibleEvent

    if QAccessible.isActive():
        QAccessible.updateAccessibility(QAccessibleEvent(widget, QAccessible.Event.Alert))


def show_typing(*fields: QLineEdit) -> QCheckBox:
    """ "Show what I type" for passphrase fields: a blurry-eyed person can see
    a typo before it counts."""
    box = QCheckBox("Show what I type")
    box.setAccessibleName("Show the passphrase as I type it")

    def toggled(on: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        for field in fields:
            field.setEchoMode(mode)

    box.toggled.connect(toggled)
    return box


def button_row(left: QWidget, right: QWidget) -> QWidget:
    """Two buttons at the ends of a row: going back on the left, going on on the right."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(left)
    row.addStretch(1)
    row.addWidget(right)
    return holder


def centered_column(*widgets: QWidget, max_width: int = 760) -> QWidget:
    """A calm column in the middle of the window: one thing at a time."""
    outer = QWidget()
    row = QHBoxLayout(outer)
    row.addStretch(1)
    column_widget = QWidget()
    column_widget.setMaximumWidth(max_width)
    column = QVBoxLayout(column_widget)
    column.setSpacing(18)
    for widget in widgets:
        column.addWidget(widget)
    row.addWidget(column_widget, 8)
    row.addStretch(1)
    return outer


class ScaleInput(QWidget):
    """A large 0–10 rating: eleven buttons, arrows move, Delete clears.

    ``valueChanged(object)`` carries an int or None.
    """

    valueChanged = Signal(object)  # noqa: N815 (Qt naming)

    def __init__(self, accessible: str, low: str = "", high: str = "") -> None:
        super().__init__()
        self.setAccessibleName(accessible)
        self.setObjectName("scalebox")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        row = QHBoxLayout()
        row.setSpacing(6)
        for number in range(11):
            b = QPushButton(str(number))
            b.setObjectName("scale")
            b.setCheckable(True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setAccessibleName(f"{number} out of 10")
            self._group.addButton(b, number)
            row.addWidget(b)
        self._group.idClicked.connect(self._on_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(row)
        ends = QHBoxLayout()
        ends.addWidget(label(f"0 = {low}" if low else "", name="hint", wrap=False))
        ends.addStretch(1)
        ends.addWidget(label(f"10 = {high}" if high else "", name="hint", wrap=False))
        layout.addLayout(ends)
        self._value: int | None = None
        self._last_digit_at = 0.0

    def value(self) -> int | None:
        return self._value

    def setValue(self, value: int | None) -> None:  # noqa: N802 (Qt naming)
        if value is not None and not 0 <= value <= 10:
            value = None
        changed = value != self._value
        self._value = value
        for number in range(11):
            button_ = self._group.button(number)
            button_.setChecked(number == value)
        self.setAccessibleDescription("not set" if value is None else f"{value} out of 10")
        if changed:
            self.valueChanged.emit(value)

    def _on_clicked(self, number: int) -> None:
        self.setValue(None if number == self._value else number)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        key = event.key()
        current = self._value
        if key in (Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Plus):
            self.setValue(0 if current is None else min(10, current + 1))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down, Qt.Key.Key_Minus):
            self.setValue(10 if current is None else max(0, current - 1))
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.setValue(None)
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            digit = int(key) - int(Qt.Key.Key_0)
            now = time.monotonic()
            # "1" then "0" typed quickly means 10.
            if digit == 0 and current == 1 and now - self._last_digit_at < 1.5:
                digit = 10
            self._last_digit_at = now
            self.setValue(digit)
        else:
            super().keyPressEvent(event)


def scrolled(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area: wrapped lines get the height they
    need (a plain layout squeezes labels and clips their last words), and a
    page that does not fit a small screen scrolls."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    # Not a Tab stop of its own (it shows no focus, and Tab stopping there
    # left the next control half hidden); what it holds is, and Qt scrolls
    # each control into view as it gets the focus.
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return scroll


class ResponsiveRow(QWidget):
    """Controls side by side while they fit, one under the other when they do
    not (large type on a small screen): never cut, never overlapping."""

    def __init__(self, *widgets: QWidget, stretches: tuple[int, ...] = ()) -> None:
        super().__init__()
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(10)
        self._widgets = widgets
        for index, widget in enumerate(widgets):
            self.row.addWidget(widget, stretches[index] if index < len(stretches) else 0)
        self._stretch = not stretches
        if self._stretch:
            self.row.addStretch(1)

    def _shown(self) -> list[QWidget]:
        return [w for w in self._widgets if not w.isHidden()]

    def _wide(self) -> int:
        """The least width side by side."""
        shown = self._shown()
        return sum(w.minimumSizeHint().width() for w in shown) + self.row.spacing() * len(shown)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt naming)
        """As narrow as its widest control (then they stand one under the
        other), as tall as the way they stand now."""
        shown = self._shown() or [QWidget()]
        heights = [w.minimumSizeHint().height() for w in shown]
        across = self.row.direction() == QBoxLayout.Direction.LeftToRight
        tall = max(heights) if across else sum(heights) + self.row.spacing() * (len(heights) - 1)
        return QSize(max(w.minimumSizeHint().width() for w in shown), tall)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt naming)
        across = self._wide() <= event.size().width()
        direction = QBoxLayout.Direction.LeftToRight if across else QBoxLayout.Direction.TopToBottom
        super().resizeEvent(event)
        if self.row.direction() != direction:
            self.row.setDirection(direction)
            self.updateGeometry()


def fit_dialog(
    dialog: QWidget, content: QWidget, actions: QWidget, *, width: int, height: int
) -> None:
    """A dialog as ``content`` (scrolling on a small screen) over ``actions``
    (always in view), sized to at most ``width``×``height`` and the screen's
    available room."""
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(0, 0, 0, 16)
    layout.addWidget(scrolled(content), 1)
    holder = QWidget()
    row = QVBoxLayout(holder)
    row.setContentsMargins(28, 0, 28, 0)
    row.addWidget(actions)
    layout.addWidget(holder)
    screen = dialog.screen()
    room = screen.availableGeometry() if screen is not None else None
    least = content.minimumSizeHint().width() + 44  # its fields and a scroll bar
    dialog.resize(
        max(least, min(width, room.width() - 40) if room else width),
        min(height, room.height() - 60) if room else height,
    )


def fill_with_actions(page: QWidget, content: QWidget, actions: QWidget) -> None:
    """Lay ``page`` out as ``content`` (scrolling when the screen is small)
    over ``actions``, which stay in view at any size (1024×600 included)."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 16)
    layout.addWidget(scrolled(content), 1)
    layout.addWidget(centered_column(actions, max_width=900))


class LineAnswer(QWidget):
    """An answer anywhere on a line, such as the EBI's 0–100: a large slider
    with its number. Arrows move by 1, Page Up/Down by a tenth, Home/End to
    the ends; typing a number sets it; Enter answers. Not set until moved.

    ``valueChanged(object)`` carries an int or None; ``submitted(int)`` on Enter.
    """

    valueChanged = Signal(object)  # noqa: N815 (Qt naming)
    submitted = Signal(int)

    def __init__(self, accessible: str) -> None:
        super().__init__()
        self.setAccessibleName(accessible)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.slider.setMinimumHeight(44)
        self.slider.valueChanged.connect(self._on_slid)
        self.number = label("", name="prompt", wrap=False)
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.low, self.high = label("", name="hint"), label("", name="hint")
        self.high.setAlignment(Qt.AlignmentFlag.AlignRight)
        ends = QHBoxLayout()
        ends.addWidget(self.low, 1)
        ends.addWidget(self.high, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addWidget(self.number)
        layout.addWidget(self.slider)
        layout.addLayout(ends)
        self._value: int | None = None
        self._typed = ""
        self._typed_at = 0.0

    def set_range(self, minimum: int, maximum: int, low: str, high: str) -> None:
        self.slider.setRange(minimum, maximum)
        self.slider.setPageStep(max(1, (maximum - minimum) // 10))
        self.low.setText(f"{minimum} = {low}" if low else str(minimum))
        self.high.setText(f"{maximum} = {high}" if high else str(maximum))
        self.setValue(None)

    def value(self) -> int | None:
        return self._value

    def setValue(self, value: int | None) -> None:  # noqa: N802 (Qt naming)
        low, high = self.slider.minimum(), self.slider.maximum()
        if value is None:
            self._typed = ""
        else:
            value = max(low, min(high, value))
        changed = value != self._value
        self._value = value
        self.slider.blockSignals(True)
        self.slider.setValue((low + high) // 2 if value is None else value)
        self.slider.blockSignals(False)
        self.number.setText(
            "Not set yet — move it or type a number" if value is None else str(value)
        )
        self.setAccessibleDescription(
            "not set" if value is None else f"{value}, on a line from {low} to {high}"
        )
        if changed:
            self.valueChanged.emit(value)

    def _on_slid(self, value: int) -> None:
        self.setValue(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt naming)
        key = event.key()
        low, high = self.slider.minimum(), self.slider.maximum()
        middle = (low + high) // 2
        current = self._value
        page = self.slider.pageStep()
        moves = {
            Qt.Key.Key_Right: 1,
            Qt.Key.Key_Up: 1,
            Qt.Key.Key_Left: -1,
            Qt.Key.Key_Down: -1,
            Qt.Key.Key_PageUp: page,
            Qt.Key.Key_PageDown: -page,
        }
        if key in moves:
            self.setValue((middle if current is None else current) + moves[Qt.Key(key)])
        elif key == Qt.Key.Key_Home:
            self.setValue(low)
        elif key == Qt.Key.Key_End:
            self.setValue(high)
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            now = time.monotonic()
            digit = chr(int(key))
            typed = self._typed + digit if now - self._typed_at <= 1.5 else digit
            self._typed = typed if int(typed) <= high else digit  # past the top: start over
            self._typed_at = now
            self.setValue(int(self._typed))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and current is not None:
            self._typed = ""
            self.submitted.emit(current)
        else:
            super().keyPressEvent(event)
