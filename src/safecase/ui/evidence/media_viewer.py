"""Audio and video evidence played from memory: play/pause and a position slider over a ``QMediaPlayer``.

The player streams from a ``QBuffer`` over the decrypted bytes (``setSourceDevice``), so no temporary file is
made. Before the bytes are overwritten the player is stopped and let go of the buffer.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSlider, QVBoxLayout, QWidget

from safecase.ui.evidence.plaintext import Plaintext
from safecase.ui.widgets.plain import PlainLabel


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
        self.position_slider.sliderMoved.connect(self.player.setPosition)
        self.player.durationChanged.connect(self._on_player_duration_changed)
        self.player.positionChanged.connect(self._on_player_position_changed)
        self.player.playbackStateChanged.connect(self._on_player_playback_state_changed)
        self.player.errorOccurred.connect(self._on_player_error_occurred)

    def _on_play_button_clicked(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

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

    def _release(self) -> None:
        self.player.stop()
        self.player.setSource(QUrl())  # the player lets go of the buffer before its bytes are overwritten
