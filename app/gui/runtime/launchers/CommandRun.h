#pragma once

#include "runtime/launchers/OutputBuffer.h"

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTimer>

namespace greenpulse::app {

// One command the Command launcher runs: started without a shell (the operator writes
// `sh -c '…'` to have one), in its own process group, stdout and stderr merged into a bounded
// OutputBuffer. stop() sends SIGTERM to the group, then SIGKILL after the grace period.
// finished() gives the exit code as a shell tells it (core/control/ExitCode.h).
class CommandRun : public QObject
{
    Q_OBJECT
public:
    CommandRun(QStringList argv, int graceMs, QObject *parent = nullptr);
    ~CommandRun() override; // kills what still runs (the dashboard is closing)

    void start();
    void stop();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 processId() const { return m_process.processId(); }
    const OutputBuffer &output() const { return m_output; }
    QString program() const { return m_argv.value(0); }

signals:
    void outputChanged();
    void finished(int exitCode, bool killed); // killed: SIGKILL after the grace period
    void cannotStart(const QString &why);

private:
    void signalGroup(int signalNumber);

    QStringList m_argv;
    QProcess m_process;
    QTimer m_grace;
    OutputBuffer m_output;
    qint64 m_group = 0;
    bool m_killed = false;
    bool m_done = false;
};

} // namespace greenpulse::app
