#include "runtime/launchers/CommandRun.h"

#include "base/Logging.h"
#include "control/ExitCode.h"

#include <csignal>
#include <unistd.h>

namespace greenpulse::app {

CommandRun::CommandRun(QStringList argv, int graceMs, QObject *parent)
    : QObject(parent), m_argv(std::move(argv))
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardInputFile(QProcess::nullDevice()); // no input: stdin is at its end
    // Its own process group: Stop reaches what the command started too (a shell's children).
    m_process.setChildProcessModifier([] { ::setpgid(0, 0); });
    m_grace.setSingleShot(true);
    m_grace.setInterval(graceMs);
    connect(&m_grace, &QTimer::timeout, this, [this] {
        if (isRunning()) {
            qCInfo(lcApp) << program() << "ignored SIGTERM for" << m_grace.interval()
                          << "ms: SIGKILL";
            m_killed = true;
            signalGroup(SIGKILL);
        }
    });
    connect(&m_process, &QProcess::readyRead, this, [this] {
        m_output.append(m_process.readAll());
        emit outputChanged();
    });
    connect(
        &m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus status) {
            m_grace.stop();
            m_output.append(m_process.readAll());
            m_done = true;
            emit finished(core::shellExitCode(exitCode, status == QProcess::CrashExit), m_killed);
        });
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && !m_done) {
            m_done = true;
            emit cannotStart(m_process.errorString());
        }
    });
}

CommandRun::~CommandRun()
{
    m_process.disconnect(this);
    if (isRunning()) {
        signalGroup(SIGKILL);
        m_process.waitForFinished(1000);
    }
}

void CommandRun::start()
{
    m_process.start(m_argv.first(), m_argv.mid(1));
    m_group = m_process.processId();
}

void CommandRun::stop()
{
    if (!isRunning() || m_grace.isActive()) {
        return;
    }
    signalGroup(SIGTERM);
    m_grace.start();
}

void CommandRun::signalGroup(int signalNumber)
{
    if (m_group > 0 && ::kill(static_cast<pid_t>(-m_group), signalNumber) != 0) {
        ::kill(static_cast<pid_t>(m_group), signalNumber); // not yet its own group leader
    }
}

} // namespace greenpulse::app
