"""Audio and video evidence played from memory: play/pause and a position slider over a ``QMediaPlayer``.

The player streams from a ``QBuffer`` over the decrypted bytes (``setSourceDevice``), so no temporary file is
made. When the preview closes or the vault locks, ``Plaintext.wipe`` first calls ``MediaViewer._release``: stop,
then an empty source, which destroys FFmpeg's playback engine and joins its threads. Only then are the bytes
overwritten and freed, so nothing reads them after that.

Once the source is set, the player is driven only through ``call_without_gil`` (play, pause, seek, stop,
source): the C++ slot runs at once on the GUI thread with Python's GIL released until it returns. FFmpeg's threads
take the GIL whenever Qt calls a virtual method of an object made from Python (a PySide wrapper looks for a Python
override first). On stop, the audio thread destroys its renderer: ``~QObject`` holds Qt's connection lock and
calls the ``QAudioOutput`` wrapper's ``disconnectNotify``, which waits for the GIL, while ``stop()`` on the GUI
thread waits for that lock to disconnect the renderer. A plain ``player.stop()`` binding call keeps the GIL while
it waits, so about one close or lock in a hundred during playback froze the app for good, the vault open on
screen. With the GIL released the audio thread finishes and ``stop()`` returns.
"""

from __future__ import annotations

from PySide6.QtCore import Q_ARG, QGenericArgumentHolder, QMetaObject, QObject, Qt, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSlider, QVBoxLayout, QWidget

from safecase.ui.evidence.plaintext import Plaintext
from safecase.ui.widgets.plain import PlainLabel


def call_without_gil(target: QObject, slot: str, *args: QGenericArgumentHolder) -> None:
    """Call ``target``'s C++ ``slot`` now, on this thread, with the GIL released until it returns.

    PySide's ``QMetaObject.invokeMethod`` lets go of the GIL around the call, which the generated bindings of
    ``QMediaPlayer.stop``, ``play``, ``pause`` and ``setPosition`` do not. Python slots the call emits to still run
    (they take the GIL back on their own).
    """
    if not QMetaObject.invokeMethod(target, slot, Qt.ConnectionType.DirectConnection, *args):
        # Not RuntimeError, which Plaintext.wipe takes for "the viewer is gone" and passes over.
        raise AttributeError(f"{type(target).__name__} has no slot {slot} taking these arguments")


def clock_text(ms: int) -> str:
    """Milliseconds as m:ss (or h:mm:ss)."""
    seconds = max(ms, 0) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


class MediaViewer(QWidget):
    """Plays one recording; ``video`` adds a picture above the controls."""

    def __init__(self, plaintext: Plaintext, *, video: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = ""
        self.player = QMediaPlayer(self)
        self.audio_output = QAudioOutput(self)
        self.player.setAudioOutput(self.audio_output)
        self.video_widget: QVideoWidget | None = None
        if video:
            self.video_widget = QVideoWidget(self)
            self.video_widget.setAccessibleName(self.tr("Video"))
            self.player.setVideoOutput(self.video_widget)
        self.play_button = QPushButton(self.tr("Play"), self)
        self.position_slider = QSlider(Qt.Orientation.Horizontal, self)
        self.position_slider.setAccessibleName(self.tr("Playback position"))
        self.time_label = PlainLabel(clock_text(0), self)
        self.error_label = PlainLabel("", self)
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self._lay_out()
        self._connect()
        self.device = plaintext.open_device()
        # The one binding call that keeps the GIL (Q_ARG knows no QIODevice*): safe, as a new player has no
        # engine to stop and no earlier load to wait for; the load it starts runs on FFmpeg's threads.
        self.player.setSourceDevice(self.device, QUrl())
        plaintext.before_wipe(self._release)

    def _lay_out(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.position_slider, 1)
        controls.addWidget(self.time_label)
        layout = QVBoxLayout(self)
        if self.video_widget is not None:
            layout.addWidget(self.video_widget, 1)
        else:
            layout.addStretch(1)
        layout.addLayout(controls)
        layout.addWidget(self.error_label)
        if self.video_widget is None:
            layout.addStretch(1)

    def _connect(self) -> None:
        self.play_button.clicked.connect(self._on_play_button_clicked)
        self.position_slider.sliderMoved.connect(self._on_position_slider_moved)
        self.player.durationChanged.connect(self._on_player_duration_changed)
        self.player.positionChanged.connect(self._on_player_position_changed)
        self.player.playbackStateChanged.connect(self._on_player_playback_state_changed)
        self.player.errorOccurred.connect(self._on_player_error_occurred)

    def _on_play_button_clicked(self) -> None:
        playing = self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
        self._call("pause" if playing else "play")

    def _on_position_slider_moved(self, position: int) -> None:
        self._call("setPosition", Q_ARG("qint64", position))

    def _on_player_duration_changed(self, duration: int) -> None:
        self.position_slider.setRange(0, duration)
        self._show_time()

    def _on_player_position_changed(self, position: int) -> None:
        if not self.position_slider.isSliderDown():
            self.position_slider.setValue(position)
        self._show_time()

    def _on_player_playback_state_changed(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))

    def _on_player_error_occurred(self, _error: QMediaPlayer.Error, _description: str) -> None:
        # Qt's description may quote the media's own metadata; a fixed sentence says enough.
        self.error = self.tr("This recording cannot be played here; export it to open it in another program.")
        self.error_label.setText(self.error)
        self.error_label.show()

    def _show_time(self) -> None:
        self.time_label.setText(f"{clock_text(self.player.position())} / {clock_text(self.player.duration())}")

    def _call(self, slot: str, *args: QGenericArgumentHolder) -> None:
        call_without_gil(self.player, slot, *args)

    def _release(self) -> None:
        self._call("stop")
        # Destroys the playback engine (its threads are joined), so the buffer is let go before it is overwritten.
        self._call("setSource", Q_ARG(QUrl, QUrl()))
