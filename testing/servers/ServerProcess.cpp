#include "ServerProcess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QThread>

namespace greenpulse::servers {

ServerProcess::ServerProcess(QString logName) : m_logName(std::move(logName)) {}

ServerProcess::~ServerProcess()
{
    stop(5000);
}

bool ServerProcess::start(const QString &program, const QStringList &args)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.setStandardOutputFile(filePath(m_logName)); // truncated
    m_process.start(program, args);
    return m_process.waitForStarted(10000);
}

void ServerProcess::stop(int timeoutMs)
{
    if (!isRunning()) {
        return;
    }
    m_process.terminate();
    if (!m_process.waitForFinished(timeoutMs)) {
        kill();
    }
}

void ServerProcess::kill()
{
    if (isRunning()) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QByteArray ServerProcess::log() const
{
    QFile file(filePath(m_logName));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool ServerProcess::waitUntilReady(const std::function<bool()> &ready, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (isRunning()) {
        if (ready()) {
            return true;
        }
        if (deadline.hasExpired()) {
            return false;
        }
        QThread::msleep(20);
    }
    return false;
}

} // namespace greenpulse::servers
