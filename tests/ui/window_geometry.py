"""What a person would see cut off in a window, measured on the real widgets: buttons and labels outside their
window or narrower than their text, toolbars that hide actions behind their overflow arrow, and tables wider
than their view. Used by the layout test; one list of plain sentences per look, empty when nothing is cut off.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QLabel,
    QToolBar,
    QWidget,
)

#: Room a button needs around its text (frame and padding), however the style draws it.
_BUTTON_PADDING = 8


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QAbstractButton, QLabel)) else ""
    kind = type(widget).__name__
    return f'{kind} "{text}"' if text else f"{kind} {widget.objectName() or '(unnamed)'}"


def _in_scrolled_content(widget: QWidget, top: QWidget) -> bool:
    """Inside a scroll area's viewport, where being partly out of view is what scrolling is for."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.width() > 0 and widget.height() > 0


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").split("\t")[0]


def text_room(widget: QAbstractButton | QLabel) -> tuple[int, int]:
    """(width it has for its text, width its text needs on one line)."""
    if isinstance(widget, QLabel):  # one line: its size hint is its whole text with its margins
        return widget.width(), widget.sizeHint().width()
    metrics = widget.fontMetrics()
    needs = metrics.horizontalAdvance(_plain(widget.text()))
    if not widget.icon().isNull():
        needs += widget.iconSize().width() + 4
    return widget.width(), needs + _BUTTON_PADDING


def cut_off(top: QWidget) -> list[str]:
    """Every visible button and label of ``top`` that is not wholly inside it or not wide enough for its text,
    every toolbar hiding actions behind its overflow arrow, and every table or list that scrolls sideways."""
    problems: list[str] = []
    frame = top.rect()
    for widget in top.findChildren(QWidget):
        if not _shown(widget, top):
            continue
        if isinstance(widget, QToolBar):
            overflow = widget.findChild(QAbstractButton, "qt_toolbar_ext_button")
            if overflow is not None and overflow.isVisibleTo(top):
                problems.append(f"toolbar {widget.windowTitle()!r} hides actions behind its overflow arrow")
            continue
        if isinstance(widget, QAbstractItemView):
            bar = widget.horizontalScrollBar()
            if bar.isVisibleTo(top) and bar.maximum() > 0:
                problems.append(f"{_name(widget)} is wider than its view by {bar.maximum()} px")
            continue
        if not isinstance(widget, (QAbstractButton, QLabel)) or not widget.text().strip():
            continue
        if widget.objectName().startswith("qt_") or _in_scrolled_content(widget, top):
            continue
        where = QRect(widget.mapTo(top, QPoint(0, 0)), widget.size())
        if not frame.contains(where):
            inside = where.intersected(frame)
            problems.append(f"{_name(widget)} is cut off by its window ({inside.width()} of {where.width()} px "
                            f"wide, {inside.height()} of {where.height()} px high visible)")
            continue
        visible = widget.visibleRegion().boundingRect()
        if visible.width() < widget.width() or visible.height() < widget.height():
            problems.append(f"{_name(widget)} is hidden in part by its parent ({visible.width()} of "
                            f"{widget.width()} px visible)")
            continue
        if widget.property("elidesText"):  # a long name shortened on purpose, whole in its tooltip
            if widget.toolTip() != widget.property("fullText"):
                problems.append(f"{_name(widget)} is shortened without its whole text in the tooltip")
            continue
        if isinstance(widget, QLabel) and widget.wordWrap():
            if widget.heightForWidth(widget.width()) > widget.height() + 1:
                problems.append(f"{_name(widget)} is {widget.height()} px high; its wrapped text needs "
                                f"{widget.heightForWidth(widget.width())}")
            continue
        has, needs = text_room(widget)
        if has < needs:
            problems.append(f"{_name(widget)} has {has} px for a text that needs {needs}")
    return problems
