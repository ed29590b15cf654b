#pragma once

// On-disk spool of line-protocol batches for InfluxWriter.
//
// One file per batch, named "<20-digit sequence>_<line count>.lp", so the spool can be listed in
// order and its line count known without reading the files. A batch is written to
// "<name>.tmp", fsync'd and then renamed (atomic on POSIX), so after a crash or kill -9 a batch
// file is either complete or absent; leftover .tmp files are deleted when the spool is opened.
// Files are deleted when the server acknowledged the batch. The bodies of the batches appended by
// this process are also kept in memory (up to a bound) so that sending does not read them back.
// Lines the server refused (HTTP 400) are appended to "rejected.lp" in the same folder.
//
// A batch file found damaged (empty, or cut short after the rename: a disk or file system that
// lost what was synced) is not trusted blindly: an empty one is deleted when the spool is opened,
// and of a cut one only the complete lines are sent (a line cut short could still parse, with a
// wrong value or time). Either way the lost points are logged and counted (takeLostLines()).

#include "influx/InfluxOptions.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <deque>

namespace greenpulse::core {

class Spool
{
public:
    struct Batch
    {
        quint64 seq = 0;
        int lines = 0;     // to send (fewer than its name says when the file was cut short)
        int nameLines = 0; // the line count in the file's name
        qint64 bytes = 0;
        QByteArray body; // the file's content while still in memory (shared, not copied)
    };

    Spool() = default;

    // The folder of the spool for these options: options.spoolDir, or
    // InfluxOptions::defaultSpoolDir(<application name>), the folder the options name too.
    static QString folderFor(const InfluxOptions &o);

    // Creates the folder if needed, deletes leftover temp files and lists the batches in order.
    bool open(const QString &dir, QString *error);
    bool isOpen() const { return m_open; }
    QString dir() const { return m_dir; }

    // Writes a batch (lines joined, each ending with '\n'). Returns false on an I/O error.
    bool append(const QByteArray &body, int lines, QString *error);
    // Drops the oldest batches (never `keepSeq`, the one in flight) until the spool fits in
    // maxBytes; returns the number of lines dropped.
    quint64 trim(qint64 maxBytes, quint64 keepSeq);

    bool isEmpty() const { return m_batches.empty(); }
    int batchCount() const { return static_cast<int>(m_batches.size()); }
    const Batch &head() const { return m_batches.front(); }
    // Reads a batch's body; false if the file is gone, unreadable or holds no complete line. A
    // file cut short gives its complete lines only: `batch` (and the spool's own record of it)
    // then says that many lines, and the rest is counted in takeLostLines().
    bool read(Batch *batch, QByteArray *body);
    // Lines found lost in damaged batch files since the last call (for pointsDropped).
    quint64 takeLostLines();
    void remove(quint64 seq);
    // Appends the body to rejected.lp and removes the batch.
    bool reject(const Batch &batch, const QByteArray &body, QString *error);
    QString rejectedPath() const;

    quint64 lines() const { return m_lines; }
    qint64 bytes() const { return m_bytes; }

private:
    QString fileName(const Batch &batch) const;
    void forget(const Batch &batch); // bookkeeping of a batch leaving the spool
    void keepCompleteLines(Batch *batch, QByteArray *body);

    QString m_dir;
    bool m_open = false;
    std::deque<Batch> m_batches;
    quint64 m_nextSeq = 1;
    quint64 m_lines = 0;
    qint64 m_bytes = 0;
    qint64 m_cachedBytes = 0; // bodies kept in memory
    quint64 m_lostLines = 0;  // in damaged files, not yet taken
};

} // namespace greenpulse::core
