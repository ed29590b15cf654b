#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <functional>

class QObject;

namespace greenpulse::app {

// What a program run by runAsync() did.
struct ProgramResult
{
    bool started = false; // false: it could not be run (missing, not executable)
    bool timedOut = false;
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    QString error; // why it could not run, or did not finish
};

// Runs `program` with `args` (no shell) without blocking: `done` is called on `owner`'s thread
// once it ended, could not start, or ran past `timeoutMs` (then it is killed). Nothing happens
// when `owner` is gone first.
void runAsync(QObject *owner, const QString &program, const QStringList &args, int timeoutMs,
              std::function<void(const ProgramResult &)> done);

} // namespace greenpulse::app
