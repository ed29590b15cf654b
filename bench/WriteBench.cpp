#include "WriteBench.h"

#include "BenchInflux.h"
#include "influx/InfluxWriter.h"
#include "Report.h"
#include "Sys.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <zlib.h>

namespace greenpulse::bench {

namespace {

const QString kSection = QStringLiteral("write");
constexpr int kBatchLines = 5000; // InfluxOptions::maxBatchLines default
constexpr int kRounds = 2;        // each side runs 2 * kRounds times

double rate(qint64 lines, qint64 ns)
{
    return static_cast<double>(lines) * 1e9 / static_cast<double>(ns);
}

QByteArray gzip(const QByteArray &data)
{
    z_stream stream{};
    if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK) {
        return {};
    }
    QByteArray out(static_cast<qsizetype>(deflateBound(&stream, static_cast<uLong>(data.size()))),
                   Qt::Uninitialized);
    stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef *>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(static_cast<qsizetype>(stream.total_out));
    deflateEnd(&stream);
    return out;
}

// Host telemetry lines like the processor's, one point per host and second, all distinct.
QList<QList<QByteArray>> makeBatches(qint64 lines)
{
    const qint64 hosts = 1000;
    const qint64 start = static_cast<qint64>(sys::wallSeconds()) - lines / hosts - 60;
    QList<QList<QByteArray>> batches;
    QList<QByteArray> batch;
    for (qint64 k = 0; k < lines; ++k) {
        const qint64 host = k % hosts;
        const qint64 second = start + k / hosts;
        batch.append("greenpulse_host,host=gpu-" + QByteArray::number(host).rightJustified(5, '0') +
                     " watts=" + QByteArray::number(100 + (host * 7 + second) % 400) +
                     ".5,flow_lpm=1.25,temp_c=31.5 " + QByteArray::number(second) + "000000000");
        if (batch.size() == kBatchLines) {
            batches.append(batch);
            batch.clear();
        }
    }
    if (!batch.isEmpty()) {
        batches.append(batch);
    }
    return batches;
}

} // namespace

void WriteBench::run(qint64 lines)
{
    const QList<QList<QByteArray>> batches = makeBatches(lines);
    m_report.note(kSection, QStringLiteral("%1 lines in batches of %2, gzip, one request at a "
                                           "time; curl and writer alternate (%3 runs each, "
                                           "curl-writer-writer-curl), each into a fresh database")
                                .arg(lines)
                                .arg(kBatchLines)
                                .arg(kRounds * 2));
    // Alternating cancels the drift of a shared machine and of influxd itself (the second run
    // on a server pays for compacting the first run's data).
    qint64 curlNs = 0;
    qint64 writerNs = 0;
    QStringList curlRates;
    QStringList writerRates;
    for (int round = 0; round < kRounds * 2; ++round) {
        const bool curlFirst = round % 2 == 0;
        for (int side = 0; side < 2; ++side) {
            const bool curl = (side == 0) == curlFirst;
            const QString db = QStringLiteral("bench_%1_%2")
                                   .arg(curl ? QStringLiteral("curl") : QStringLiteral("writer"))
                                   .arg(round);
            const qint64 ns = curl ? runCurl(batches, lines, db) : runWriter(batches, lines, db);
            if (ns <= 0) {
                return;
            }
            (curl ? curlNs : writerNs) += ns;
            (curl ? curlRates : writerRates).append(QString::number(qRound64(rate(lines, ns))));
        }
    }
    const double curlRate = rate(lines * kRounds * 2, curlNs);
    const double writerRate = rate(lines * kRounds * 2, writerNs);
    m_report.note(kSection, QStringLiteral("curl runs: %1 lines/s").arg(curlRates.join(u", ")));
    m_report.note(kSection, QStringLiteral("writer runs: %1 lines/s").arg(writerRates.join(u", ")));
    m_report.add(kSection, QStringLiteral("curl posting the pre-built batches"), curlRate,
                 QStringLiteral("lines/s"), QStringLiteral("write_curl_lines_per_s"),
                 Report::Goal::None, 0, 0);
    m_report.add(kSection, QStringLiteral("InfluxWriter into influxd"), writerRate,
                 QStringLiteral("lines/s"), QStringLiteral("write_lines_per_s"), Report::Goal::None,
                 0, 0);
    m_report.add(kSection, QStringLiteral("writer rate / curl rate"), writerRate / curlRate,
                 QString(), QStringLiteral("write_ratio"), Report::Goal::AtLeast, 0.8, 3);
}

qint64 WriteBench::runCurl(const QList<QList<QByteArray>> &batches, qint64 lines, const QString &db)
{
    if (!m_influx.createDatabase(db)) {
        m_report.fail(kSection, QStringLiteral("cannot create database ") + db);
        return 0;
    }
    QTemporaryDir dir;
    QByteArray config;
    for (int i = 0; i < batches.size(); ++i) {
        const QString path = dir.filePath(QStringLiteral("batch-%1.gz").arg(i));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(gzip(batches.at(i).join('\n'))) < 0) {
            m_report.fail(kSection, QStringLiteral("cannot write ") + path);
            return 0;
        }
        if (i > 0) {
            config += "next\n";
        }
        config += "url = \"" + m_influx.url().toUtf8() + "/write?db=" + db.toUtf8() + "\"\n";
        config += "data-binary = \"@" + path.toUtf8() + "\"\n";
        config += "header = \"Content-Encoding: gzip\"\n";
        config += "header = \"Content-Type: text/plain; charset=utf-8\"\n";
        config += "output = \"/dev/null\"\n";
        config += "write-out = \"%{http_code}\\n\"\n";
    }
    QFile cfg(dir.filePath(QStringLiteral("curl.cfg")));
    cfg.open(QIODevice::WriteOnly);
    cfg.write(config);
    cfg.close();

    QProcess curl;
    QElapsedTimer timer;
    timer.start();
    curl.start(sys::findProgram(QStringLiteral("curl")),
               {QStringLiteral("-s"), QStringLiteral("-K"), cfg.fileName()});
    if (!curl.waitForFinished(300000) || curl.exitCode() != 0) {
        m_report.fail(kSection, QStringLiteral("curl failed: ") +
                                    QString::fromUtf8(curl.readAllStandardError()));
        return 0;
    }
    const qint64 ns = timer.nsecsElapsed();
    const QList<QByteArray> codes = curl.readAllStandardOutput().trimmed().split('\n');
    if (codes.size() != batches.size() || codes.count("204") != codes.size()) {
        m_report.fail(kSection, QStringLiteral("curl: not every batch was acknowledged (204)"));
    }
    const qint64 stored =
        m_influx.countPoints(db, QStringLiteral("greenpulse_host"), QStringLiteral("watts"));
    if (stored != lines) {
        m_report.fail(kSection,
                      QStringLiteral("curl: %1 of %2 points stored").arg(stored).arg(lines));
    }
    return ns;
}

qint64 WriteBench::runWriter(const QList<QList<QByteArray>> &batches, qint64 lines,
                             const QString &db)
{
    if (!m_influx.createDatabase(db)) {
        m_report.fail(kSection, QStringLiteral("cannot create database ") + db);
        return 0;
    }
    QTemporaryDir spool;
    core::InfluxOptions options;
    options.url = m_influx.url();
    options.database = db;
    options.spoolDir = spool.path();
    options.maxBatchLines = kBatchLines;
    core::InfluxWriter writer(options);
    writer.start();
    QElapsedTimer timer;
    timer.start();
    for (const QList<QByteArray> &batch : batches) {
        writer.writeLines(batch);
    }
    const bool drained = writer.drain(300000);
    const qint64 ns = timer.nsecsElapsed();
    if (!drained) {
        m_report.fail(kSection, QStringLiteral("the writer did not drain"));
        return 0;
    }
    const qint64 stored =
        m_influx.countPoints(db, QStringLiteral("greenpulse_host"), QStringLiteral("watts"));
    if (stored != lines) {
        m_report.fail(kSection,
                      QStringLiteral("writer: %1 of %2 points stored").arg(stored).arg(lines));
    }
    return ns;
}

} // namespace greenpulse::bench
