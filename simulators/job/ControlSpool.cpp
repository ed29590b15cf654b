#include "ControlSpool.h"

#include "protocol/Protocol.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <unistd.h>

namespace greenpulse::sim {

namespace {
const QString kSuffix = QStringLiteral(".json");
QStringList spoolFiles(const QDir &dir)
{
    return dir.entryList({QStringLiteral("*") + kSuffix}, QDir::Files, QDir::Name);
}
} // namespace

ControlSpool::ControlSpool(QString dir) : m_dir(std::move(dir)) {}

bool ControlSpool::add(const core::ControlMessage &message, bool keepState, QString *error)
{
    QDir dir(m_dir);
    if (!dir.mkpath(QStringLiteral("."))) {
        *error = QStringLiteral("cannot create %1").arg(m_dir);
        return false;
    }
    const QStringList existing = spoolFiles(dir);
    for (qsizetype i = 0; i + kMaxFiles <= existing.size(); ++i) {
        if (dir.remove(existing.at(i))) {
            ++m_dropped;
        }
    }
    // <ms since the epoch>-<count in this process>-<pid>-<start|end>.json: sorts in writing order.
    static int count = 0;
    const QString name =
        QStringLiteral("%1-%2-%3-%4")
            .arg(QDateTime::currentMSecsSinceEpoch(), 15, 10, QLatin1Char('0'))
            .arg(++count, 6, 10, QLatin1Char('0'))
            .arg(::getpid())
            .arg(message.status == core::JobStatus::Start ? QStringLiteral("start")
                                                          : QStringLiteral("end")) +
        kSuffix;
    QSaveFile file(dir.filePath(name));
    const QJsonObject record{
        {QStringLiteral("control"), QJsonDocument::fromJson(core::encode(message)).object()},
        {QStringLiteral("state"), keepState}};
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(QJsonDocument(record).toJson(QJsonDocument::Compact)) < 0 || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(file.fileName(), file.errorString());
        return false;
    }
    return true;
}

std::vector<ControlSpool::Entry> ControlSpool::pending() const
{
    std::vector<Entry> out;
    const QDir dir(m_dir);
    for (const QString &name : spoolFiles(dir)) {
        const QString path = dir.filePath(name);
        QFile file(path);
        const QJsonObject record = file.open(QIODevice::ReadOnly)
                                       ? QJsonDocument::fromJson(file.readAll()).object()
                                       : QJsonObject();
        const QByteArray payload =
            QJsonDocument(record.value(QLatin1String("control")).toObject()).toJson();
        const core::Decoded decoded = core::decode(QByteArray(core::topics::kControl), payload, 0);
        const auto *message = std::get_if<core::ControlMessage>(&decoded);
        if (!message) {
            QFile::rename(path, path + QStringLiteral(".bad"));
            continue;
        }
        out.push_back({path, *message, record.value(QLatin1String("state")).toBool(true)});
    }
    return out;
}

bool ControlSpool::remove(const Entry &entry) const
{
    return QFile::remove(entry.path);
}

} // namespace greenpulse::sim
