#pragma once

#include <QString>
#include <functional>

class QMessageBox;
class QWidget;

namespace greenpulse::core {
struct JobSummary;
} // namespace greenpulse::core

namespace greenpulse::app {

// Asks before a job is stopped (Stop job, Ctrl+.): names the job, its id and hosts, so one
// keystroke cannot end the wrong job. Window-modal but not blocking (QMessageBox::open()): the
// window stays live behind it. `stop` runs only when the operator confirms. `job` may be null
// (not in the table yet): then the id alone is named. The box is named "stopConfirmation" and
// deletes itself when closed.
QMessageBox *askToStopJob(QWidget *parent, const QString &jobId, const core::JobSummary *job,
                          std::function<void()> stop);

} // namespace greenpulse::app
