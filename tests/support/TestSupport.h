#pragma once

#include "ServerSupport.h"

#include <QByteArray>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>

namespace greenpulse::test {

// Free loopback ports, programs on PATH or in the sbin folders, synchronous HTTP: shared with
// the benchmark harness (testing/servers).
using servers::findExecutable;
using servers::freePort;
using servers::httpRequest;
using servers::waitForPort;

// Path of a program: product executables from build/bin, others as findExecutable() finds them.
QString binary(const QString &name);

// Spins the Qt event loop until pred() is true or timeoutMs passed; returns pred().
bool waitUntil(const std::function<bool()> &pred, int timeoutMs);
// Spins the event loop for ms milliseconds.
void spin(int ms);

// A file's text ("" when it cannot be read).
QString readAll(const QString &path);
// The entry of `summary`'s "jobs" array (a processor's exit summary or jobs JSON) whose job_id is
// `jobId`; empty when there is none.
QJsonObject jobIn(const QJsonObject &summary, const QString &jobId);

struct ProcessResult
{
    int exitCode = -1;
    bool crashed = false;
    bool timedOut = false;
    QByteArray out;
    QByteArray err;
};

// Runs a program to completion (or kills it after timeoutMs).
ProcessResult run(const QString &program, const QStringList &args, int timeoutMs = 30000,
                  const QStringList &extraEnv = {});

// A child process that is killed (SIGTERM, then SIGKILL) when this object goes away.
class Child
{
public:
    Child() = default;
    ~Child();
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;

    bool start(const QString &program, const QStringList &args, const QStringList &extraEnv = {});
    // SIGTERM and wait; returns true if it exited within timeoutMs.
    bool terminate(int timeoutMs = 10000);
    void kill(); // SIGKILL and wait
    bool waitForExit(int timeoutMs);
    bool isRunning() const;
    qint64 pid() const;
    int exitCode() const;
    QProcess::ExitStatus exitStatus() const;
    QByteArray readStdout(); // everything so far
    QByteArray readStderr();
    QProcess *process() { return m_process.get(); }

private:
    std::unique_ptr<QProcess> m_process;
    QByteArray m_out;
    QByteArray m_err;
};

} // namespace greenpulse::test
