#include "options/ClientIds.h"

#include "base/Logging.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QLockFile>
#include <unistd.h>

namespace greenpulse::core {

ClientIds::ClientIds(QString lockDir) : m_dir(std::move(lockDir))
{
    if (m_dir.isEmpty()) {
        // $XDG_RUNTIME_DIR (per user, cleared at logout); else a per-user folder in /tmp. Not
        // QStandardPaths::RuntimeLocation: without the variable (services, containers) it warns.
        const QByteArray runtime = qgetenv("XDG_RUNTIME_DIR");
        m_dir = runtime.isEmpty()
                    ? QStringLiteral("%1/greenpulse-client-ids-%2")
                          .arg(QDir::tempPath())
                          .arg(::getuid())
                    : QString::fromLocal8Bit(runtime) + QStringLiteral("/greenpulse-client-ids");
    }
}

ClientIds::~ClientIds() = default;

QString ClientIds::base(const QString &program, const QString &host)
{
    QString id = program + QLatin1Char('-') + host;
    // MQTT client ids and topic levels (greenpulse/status/<id>): characters every broker accepts.
    for (QChar &c : id) {
        if (!(c.isLetterOrNumber() || c == QLatin1Char('-') || c == QLatin1Char('_') ||
              c == QLatin1Char('.'))) {
            c = QLatin1Char('_');
        }
    }
    return id;
}

QString ClientIds::claim(const QString &base, const QString &brokerUrl)
{
    const QString key = base + QLatin1Char('\n') + brokerUrl;
    const auto known = m_claimed.constFind(key);
    if (known != m_claimed.constEnd()) {
        return known.value();
    }
    // One lock file per id and broker: instances on different brokers (tests) do not compete.
    const QByteArray broker =
        QCryptographicHash::hash(brokerUrl.toUtf8(), QCryptographicHash::Sha1).toHex().left(12);
    if (QDir().mkpath(m_dir)) {
        QFile::setPermissions(m_dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    }
    QString id;
    for (int slot = 1; slot <= kMaxSlots && id.isEmpty(); ++slot) {
        const QString candidate =
            slot == 1 ? base : base + QLatin1Char('-') + QString::number(slot);
        auto lock = std::make_unique<QLockFile>(
            QStringLiteral("%1/%2-%3.lock").arg(m_dir, candidate, QLatin1String(broker)));
        lock->setStaleLockTime(0); // only a dead holder makes it stale, never its age
        if (lock->tryLock(0)) {
            id = candidate;
            m_locks.push_back(std::move(lock));
        } else if (lock->error() != QLockFile::LockFailedError) {
            // Cannot write the folder: no way to know who else runs; the pid keeps us apart.
            qCWarning(lcOptions).noquote()
                << "cannot claim an MQTT client id in" << m_dir << "- using the process id in it";
            break;
        }
    }
    if (id.isEmpty()) {
        id = base + QLatin1Char('-') + QString::number(QCoreApplication::applicationPid());
    }
    m_claimed.insert(key, id);
    return id;
}

} // namespace greenpulse::core
