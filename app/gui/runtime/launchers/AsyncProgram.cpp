#include "runtime/launchers/AsyncProgram.h"

#include <QPointer>
#include <QProcess>
#include <QTimer>
#include <memory>

namespace greenpulse::app {

void runAsync(QObject *owner, const QString &program, const QStringList &args, int timeoutMs,
              std::function<void(const ProgramResult &)> done)
{
    auto *process = new QProcess(owner);
    process->setStandardInputFile(QProcess::nullDevice());
    auto *timer = new QTimer(process);
    timer->setSingleShot(true);
    auto result = std::make_shared<ProgramResult>();
    auto finish = [process, result, done] {
        process->disconnect();
        process->deleteLater();
        done(*result);
    };
    QObject::connect(timer, &QTimer::timeout, process, [process, result, timeoutMs] {
        result->timedOut = true;
        result->error = QStringLiteral("no answer within %1 s").arg(timeoutMs / 1000);
        process->kill(); // finished() follows
    });
    QObject::connect(process, &QProcess::finished, process,
                     [process, result, finish](int exitCode, QProcess::ExitStatus status) {
                         result->started = true;
                         result->exitCode = status == QProcess::NormalExit ? exitCode : -1;
                         result->out = process->readAllStandardOutput();
                         result->err = process->readAllStandardError();
                         finish();
                     });
    QObject::connect(process, &QProcess::errorOccurred, process,
                     [process, result, finish](QProcess::ProcessError error) {
                         if (error == QProcess::FailedToStart) {
                             result->error = process->errorString();
                             finish();
                         }
                     });
    timer->start(timeoutMs);
    process->start(program, args);
}

} // namespace greenpulse::app
