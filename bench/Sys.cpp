#include "Sys.h"

#include "ServerSupport.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <chrono>
#include <unistd.h>

namespace greenpulse::bench::sys {

QString findProgram(const QString &name)
{
    const QString local = QCoreApplication::applicationDirPath() + QLatin1Char('/') + name;
    if (QFileInfo(local).isExecutable()) {
        return local;
    }
    return servers::findExecutable(name);
}

qint64 procStatusKb(qint64 pid, const char *field)
{
    QFile file(QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly)) {
        return -1;
    }
    const QByteArray prefix = QByteArray(field) + ':';
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith(prefix)) {
            const QByteArray number = line.mid(prefix.size()).trimmed().split(' ').value(0);
            return number.toLongLong();
        }
    }
    return -1;
}

double cpuSeconds(qint64 pid)
{
    QFile file(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!file.open(QIODevice::ReadOnly)) {
        return -1;
    }
    const QByteArray stat = file.readAll();
    // Fields after the command (which may hold spaces) start after the last ')'.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13) {
        return -1;
    }
    const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
}

bool waitUntil(const std::function<bool()> &pred, int timeoutMs)
{
    // A real event loop (blocking in poll), checked every few ms: unlike processEvents() in a
    // sleep loop, it adds no delay to the sockets it serves.
    if (pred()) {
        return true;
    }
    QEventLoop loop;
    QElapsedTimer timer;
    timer.start();
    QTimer check;
    QObject::connect(&check, &QTimer::timeout, &loop, [&] {
        if (pred() || timer.elapsed() >= timeoutMs) {
            loop.quit();
        }
    });
    check.start(5);
    loop.exec();
    return pred();
}

void spin(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

double wallSeconds()
{
    using namespace std::chrono;
    return static_cast<double>(
               duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()) /
           1e6;
}

} // namespace greenpulse::bench::sys
