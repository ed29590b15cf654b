#include "influx/Spool.h"

#include "base/DurableFile.h"
#include "base/Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <unistd.h>
#include <utility>

namespace greenpulse::core {

namespace {

const QLatin1String kSuffix(".lp");
// Bodies of the batches appended by this process kept in memory, so that sending does not read
// them back. Beyond this (a long outage) they are read from their files.
constexpr qint64 kMaxCachedBytes = 32LL * 1024 * 1024;

} // namespace

bool Spool::open(const QString &dir, QString *error)
{
    m_batches.clear();
    m_lines = 0;
    m_bytes = 0;
    m_cachedBytes = 0;
    m_nextSeq = 1;
    m_open = false;
    m_dir = dir;
    QString why;
    if (!durable::makePrivateDir(dir, &why)) { // 0700 when created here
        if (error) {
            *error = QStringLiteral("cannot create spool folder %1 (%2)").arg(dir, why);
        }
        return false;
    }
    QDir d(dir);
    // Leftovers of a write interrupted by a crash: never renamed, so never acknowledged as spooled.
    const QStringList temps = d.entryList({QStringLiteral("*.tmp")}, QDir::Files);
    for (const QString &name : temps) {
        qCInfo(lcInflux) << "Deleting incomplete spool file" << name;
        d.remove(name);
    }
    static const QRegularExpression pattern(QStringLiteral("^(\\d{20})_(\\d+)\\.lp$"));
    const QFileInfoList files = d.entryInfoList({QStringLiteral("*.lp")}, QDir::Files, QDir::Name);
    for (const QFileInfo &info : files) {
        const auto match = pattern.match(info.fileName());
        if (!match.hasMatch()) {
            continue; // rejected.lp and foreign files
        }
        Batch batch;
        batch.seq = match.captured(1).toULongLong();
        batch.lines = match.captured(2).toInt();
        batch.nameLines = batch.lines;
        batch.bytes = info.size();
        if (batch.bytes == 0) {
            qCWarning(lcInflux).noquote()
                << QStringLiteral("Spool batch %1 is empty (its data never reached the disk): %2 "
                                  "points lost, counted as dropped; file deleted")
                       .arg(info.fileName())
                       .arg(batch.lines);
            m_lostLines += static_cast<quint64>(batch.lines);
            d.remove(info.fileName());
            continue;
        }
        m_batches.push_back(batch);
        m_lines += static_cast<quint64>(batch.lines);
        m_bytes += batch.bytes;
        m_nextSeq = qMax(m_nextSeq, batch.seq + 1);
    }
    m_open = true;
    return true;
}

QString Spool::fileName(const Batch &batch) const
{
    return m_dir + QLatin1Char('/') +
           QStringLiteral("%1").arg(batch.seq, 20, 10, QLatin1Char('0')) + QLatin1Char('_') +
           QString::number(batch.nameLines) + kSuffix;
}

bool Spool::append(const QByteArray &body, int lines, QString *error)
{
    Batch batch;
    batch.seq = m_nextSeq;
    batch.lines = lines;
    batch.nameLines = lines;
    batch.bytes = body.size();
    // "<name>.tmp" (0600), every write checked, fsync'd, renamed, the folder fsync'd.
    QString why;
    if (!durable::writeAtomically(fileName(batch), body, &why)) {
        if (error) {
            *error = QStringLiteral("cannot write to the spool: %1").arg(why);
        }
        return false;
    }
    ++m_nextSeq;
    if (m_cachedBytes + batch.bytes <= kMaxCachedBytes) {
        batch.body = body;
        m_cachedBytes += batch.bytes;
    }
    m_batches.push_back(batch);
    m_lines += static_cast<quint64>(lines);
    m_bytes += batch.bytes;
    return true;
}

quint64 Spool::trim(qint64 maxBytes, quint64 keepSeq)
{
    quint64 dropped = 0;
    auto it = m_batches.begin();
    // Keep at least the newest batch, even if it alone is larger than the bound.
    while (m_bytes > maxBytes && m_batches.size() > 1 && it != m_batches.end() - 1) {
        if (it->seq == keepSeq) {
            ++it;
            continue;
        }
        QFile::remove(fileName(*it));
        dropped += static_cast<quint64>(it->lines);
        forget(*it);
        it = m_batches.erase(it);
    }
    return dropped;
}

void Spool::forget(const Batch &batch)
{
    m_lines -= static_cast<quint64>(batch.lines);
    m_bytes -= batch.bytes;
    if (!batch.body.isNull()) {
        m_cachedBytes -= batch.bytes;
    }
}

bool Spool::read(Batch *batch, QByteArray *body)
{
    if (!batch->body.isEmpty()) {
        *body = batch->body;
        return true;
    }
    QFile file(fileName(*batch));
    if (!file.open(QIODevice::ReadOnly)) {
        return false;
    }
    *body = file.readAll();
    if (!body->endsWith('\n') || body->count('\n') < batch->lines) {
        keepCompleteLines(batch, body);
    }
    return !body->isEmpty();
}

// A file cut short: what follows the last newline is a line cut in two, and lines are missing.
void Spool::keepCompleteLines(Batch *batch, QByteArray *body)
{
    const QString name = QFileInfo(fileName(*batch)).fileName();
    body->truncate(body->lastIndexOf('\n') + 1);
    const int found = static_cast<int>(body->count('\n'));
    const int lost = qMax(0, batch->lines - found);
    if (found == 0) {
        qCWarning(lcInflux).noquote()
            << QStringLiteral("Spool batch %1 is damaged (cut short): none of its %2 points is "
                              "complete")
                   .arg(name)
                   .arg(batch->lines);
        return; // nothing to send: the caller drops and counts the whole batch
    }
    qCWarning(lcInflux).noquote()
        << QStringLiteral("Spool batch %1 is damaged (cut short): %2 of its %3 points are complete "
                          "and sent, %4 lost and counted as dropped")
               .arg(name)
               .arg(found)
               .arg(batch->lines)
               .arg(lost);
    m_lostLines += static_cast<quint64>(lost);
    for (Batch &kept : m_batches) {
        if (kept.seq == batch->seq) {
            m_lines = m_lines - static_cast<quint64>(kept.lines) + static_cast<quint64>(found);
            kept.lines = found;
        }
    }
    batch->lines = found;
}

quint64 Spool::takeLostLines()
{
    return std::exchange(m_lostLines, 0);
}

void Spool::remove(quint64 seq)
{
    for (auto it = m_batches.begin(); it != m_batches.end(); ++it) {
        if (it->seq == seq) {
            QFile::remove(fileName(*it));
            forget(*it);
            m_batches.erase(it);
            return;
        }
    }
}

QString Spool::folderFor(const InfluxOptions &o)
{
    if (!o.spoolDir.isEmpty()) {
        return o.spoolDir;
    }
    return InfluxOptions::defaultSpoolDir(QCoreApplication::applicationName());
}

QString Spool::rejectedPath() const
{
    return m_dir + QStringLiteral("/rejected.lp");
}

bool Spool::reject(const Batch &batch, const QByteArray &body, QString *error)
{
    QString why;
    const int fd = durable::openForAppend(rejectedPath(), &why);
    bool ok = fd >= 0 && durable::writeAll(fd, body, &why);
    if (ok && ::fsync(fd) != 0) {
        ok = false;
        why = durable::lastSystemError();
    }
    if (fd >= 0) {
        ::close(fd);
    }
    if (!ok && error) {
        *error = QStringLiteral("cannot append to %1: %2").arg(rejectedPath(), why);
    }
    // The batch leaves the spool either way: retrying a refused batch would block the queue.
    remove(batch.seq);
    return ok;
}

} // namespace greenpulse::core
