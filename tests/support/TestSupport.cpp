#include "TestSupport.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QThread>
#include <csignal>

namespace greenpulse::test {

QString readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

QJsonObject jobIn(const QJsonObject &summary, const QString &jobId)
{
    for (const QJsonValue &v : summary.value(QLatin1String("jobs")).toArray()) {
        if (v.toObject().value(QLatin1String("job_id")).toString() == jobId) {
            return v.toObject();
        }
    }
    return {};
}

QString binary(const QString &name)
{
    const QString inBuild = QStringLiteral(GREENPULSE_BIN_DIR "/") + name;
    if (QFileInfo::exists(inBuild)) {
        return inBuild;
    }
    return findExecutable(name);
}

bool waitUntil(const std::function<bool()> &pred, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!pred()) {
        if (deadline.hasExpired()) {
            return pred();
        }
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
    return true;
}

void spin(int ms)
{
    QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QThread::msleep(2);
    }
}

ProcessResult run(const QString &program, const QStringList &args, int timeoutMs,
                  const QStringList &extraEnv)
{
    ProcessResult result;
    QProcess process;
    if (!extraEnv.isEmpty()) {
        QStringList env = QProcess::systemEnvironment();
        env << extraEnv;
        process.setEnvironment(env);
    }
    process.start(program, args);
    if (!process.waitForStarted(10000)) {
        result.err = process.errorString().toUtf8();
        return result;
    }
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        result.timedOut = true;
        process.kill();
        process.waitForFinished(5000);
    }
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.crashed = process.exitStatus() == QProcess::CrashExit;
    result.exitCode = process.exitCode();
    return result;
}

Child::~Child()
{
    if (isRunning()) {
        terminate(5000);
    }
    if (isRunning()) {
        kill();
    }
}

bool Child::start(const QString &program, const QStringList &args, const QStringList &extraEnv)
{
    m_process = std::make_unique<QProcess>();
    if (!extraEnv.isEmpty()) {
        QStringList env = QProcess::systemEnvironment();
        env << extraEnv;
        m_process->setEnvironment(env);
    }
    m_out.clear();
    m_err.clear();
    m_process->start(program, args);
    return m_process->waitForStarted(10000);
}

bool Child::terminate(int timeoutMs)
{
    if (!isRunning()) {
        return true;
    }
    ::kill(static_cast<pid_t>(m_process->processId()), SIGTERM);
    return waitForExit(timeoutMs);
}

void Child::kill()
{
    if (!isRunning()) {
        return;
    }
    m_process->kill();
    m_process->waitForFinished(5000);
}

bool Child::waitForExit(int timeoutMs)
{
    if (!m_process) {
        return true;
    }
    if (m_process->state() == QProcess::NotRunning) {
        return true;
    }
    return m_process->waitForFinished(timeoutMs);
}

bool Child::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

qint64 Child::pid() const
{
    return m_process ? m_process->processId() : 0;
}

int Child::exitCode() const
{
    return m_process ? m_process->exitCode() : -1;
}

QProcess::ExitStatus Child::exitStatus() const
{
    return m_process ? m_process->exitStatus() : QProcess::CrashExit;
}

QByteArray Child::readStdout()
{
    if (m_process) {
        m_out += m_process->readAllStandardOutput();
    }
    return m_out;
}

QByteArray Child::readStderr()
{
    if (m_process) {
        m_err += m_process->readAllStandardError();
    }
    return m_err;
}

} // namespace greenpulse::test
