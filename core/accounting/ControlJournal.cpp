#include "accounting/ControlJournal.h"

#include "base/DurableFile.h"
#include "base/Logging.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <unistd.h>

namespace greenpulse::core {

namespace {

QJsonValue ns(TimeNs t)
{
    return QString::number(t);
}

QByteArray encodeRecord(const ControlJournal::Record &r)
{
    QJsonObject o{{QStringLiteral("n"), QString::number(r.seq)}};
    if (r.retained) {
        o[QLatin1String("retained")] = r.control.jobId;
    } else {
        const ControlMessage &c = r.control;
        o[QLatin1String("status")] =
            c.status == JobStatus::Start ? QStringLiteral("start") : QStringLiteral("end");
        o[QLatin1String("job")] = c.jobId;
        o[QLatin1String("host")] = c.host;
        o[QLatin1String("t")] = ns(c.timestampNs);
        if (c.exitCode) {
            o[QLatin1String("exit")] = *c.exitCode;
        }
        if (!c.user.isEmpty()) // job details (docs/protocol.md, "Job details")
            o[QLatin1String("user")] = c.user;
        if (!c.name.isEmpty())
            o[QLatin1String("name")] = c.name;
        if (!c.gpus.isEmpty())
            o[QLatin1String("gpus")] = QJsonArray::fromStringList(c.gpus);
        if (!c.exitState.isEmpty())
            o[QLatin1String("exit_state")] = c.exitState;
        if (c.origin != ControlOrigin::legacy()) { // who may end it after a replay
            o[QLatin1String("origin")] = controlOriginName(c.origin);
        }
    }
    return QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
}

bool decodeRecord(const QByteArray &line, ControlJournal::Record *r)
{
    QJsonParseError error{};
    const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
    if (error.error != QJsonParseError::NoError) {
        return false;
    }
    r->seq = o.value(QLatin1String("n")).toString().toULongLong();
    if (o.contains(QLatin1String("retained"))) {
        r->retained = true;
        r->control.jobId = o.value(QLatin1String("retained")).toString();
        return r->seq > 0 && !r->control.jobId.isEmpty();
    }
    const QString status = o.value(QLatin1String("status")).toString();
    r->control.status = status == QLatin1String("end") ? JobStatus::End : JobStatus::Start;
    r->control.jobId = o.value(QLatin1String("job")).toString();
    r->control.host = o.value(QLatin1String("host")).toString();
    r->control.timestampNs = o.value(QLatin1String("t")).toString().toLongLong();
    if (o.contains(QLatin1String("exit"))) {
        r->control.exitCode = o.value(QLatin1String("exit")).toInt();
    }
    r->control.user = o.value(QLatin1String("user")).toString();
    r->control.name = o.value(QLatin1String("name")).toString();
    for (const QJsonValue &gpu : o.value(QLatin1String("gpus")).toArray()) {
        r->control.gpus << gpu.toString();
    }
    r->control.exitState = o.value(QLatin1String("exit_state")).toString();
    if (o.contains(QLatin1String("origin"))) {
        const auto origin = controlOriginFromName(o.value(QLatin1String("origin")).toString());
        if (!origin) {
            return false;
        }
        r->control.origin = *origin;
    }
    return r->seq > 0 && !r->control.jobId.isEmpty() && r->control.timestampNs > 0 &&
           (status == QLatin1String("start") || status == QLatin1String("end"));
}

} // namespace

ControlJournal::ControlJournal(QString path, QObject *parent)
    : QObject(parent), m_path(std::move(path))
{}

ControlJournal::~ControlJournal()
{
    if (m_fd >= 0) {
        ::fdatasync(m_fd);
        ::close(m_fd);
    }
}

QList<ControlJournal::Record> ControlJournal::read(const QString &path)
{
    QList<Record> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return out;
    }
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        Record r;
        if (!line.trimmed().isEmpty() && decodeRecord(line, &r)) {
            out.append(r);
        } else if (!line.trimmed().isEmpty()) {
            qCWarning(lcProcessor) << "skipping an unreadable line of" << path;
        }
    }
    return out;
}

bool ControlJournal::open()
{
    return ensureOpen();
}

bool ControlJournal::ensureOpen()
{
    if (m_fd >= 0) {
        return true;
    }
    QString error;
    m_fd = durable::openForAppend(m_path, &error);
    if (m_fd < 0) {
        noteResult(false, error);
        return false;
    }
    m_bytes = ::lseek(m_fd, 0, SEEK_END);
    char last = '\n';
    if (m_bytes > 0 && ::pread(m_fd, &last, 1, m_bytes - 1) == 1 && last != '\n') {
        // A line torn by a crash: end it, so that the next record starts on a line of its own.
        QString ignored;
        if (durable::writeAll(m_fd, QByteArray(1, '\n'), &ignored)) {
            ++m_bytes;
        }
    }
    durable::syncDir(QFileInfo(m_path).absolutePath());
    return true;
}

bool ControlJournal::append(Record record)
{
    record.seq = ++m_lastSeq;
    if (!ensureOpen()) {
        return false;
    }
    const QByteArray line = encodeRecord(record);
    QString error;
    if (!durable::writeAll(m_fd, line, &error)) {
        // Whatever part went out would be a torn line: cut it off again.
        ::ftruncate(m_fd, m_bytes);
        noteResult(false, QStringLiteral("cannot append to %1: %2").arg(m_path, error));
        return false;
    }
    m_bytes += line.size();
    if (!m_syncScheduled) {
        m_syncScheduled = true;
        QTimer::singleShot(0, this, [this] { sync(); });
    }
    return true;
}

void ControlJournal::sync()
{
    m_syncScheduled = false;
    if (m_fd < 0) {
        return;
    }
    if (::fdatasync(m_fd) != 0) {
        noteResult(false,
                   QStringLiteral("cannot sync %1: %2").arg(m_path, durable::lastSystemError()));
        return;
    }
    noteResult(true, {});
}

bool ControlJournal::truncate()
{
    if (m_bytes == 0 || m_fd < 0) {
        return true;
    }
    if (::ftruncate(m_fd, 0) != 0) {
        noteResult(
            false,
            QStringLiteral("cannot truncate %1: %2").arg(m_path, durable::lastSystemError()));
        return false;
    }
    m_bytes = 0;
    return true;
}

void ControlJournal::noteResult(bool ok, const QString &error)
{
    if (ok) {
        if (m_writes.recover()) {
            qCInfo(lcProcessor) << "control journal" << m_path << "writable again";
        }
        return;
    }
    if (m_writes.fail()) {
        qCWarning(lcProcessor).noquote()
            << error << QStringLiteral("; control messages are safe only at the next state save");
    }
}

} // namespace greenpulse::core
