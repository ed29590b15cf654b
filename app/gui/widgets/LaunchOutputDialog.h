#pragma once

#include <QDialog>

class QLabel;
class QPlainTextEdit;
class QTimer;

namespace greenpulse::app {

class LaunchControl;

// A command's output, read-only, live while it runs (opened from the jobs table: double-click
// or the context menu). Says how much of it the bounded buffer dropped.
class LaunchOutputDialog : public QDialog
{
    Q_OBJECT
public:
    LaunchOutputDialog(LaunchControl &launch, const QString &jobId, QWidget *parent = nullptr);

    QString jobId() const { return m_jobId; }
    QPlainTextEdit *textView() const { return m_text; }
    QLabel *droppedLabel() const { return m_dropped; }
    void refresh();

private:
    LaunchControl &m_launch;
    QString m_jobId;
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_dropped = nullptr;
    QTimer *m_refresh = nullptr; // coalesces a chatty command's output
};

} // namespace greenpulse::app
