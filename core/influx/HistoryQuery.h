#pragma once

// Reads a window of history back from InfluxDB, bucketed: InfluxQL on /query (InfluxDB 1.x, and
// 2.x through its v1-compatible endpoint), through the same request builder and HTTP client as
// WriterLease (influxhttp::queryRequest, HttpConnection). One aggregate per field and bucket,
// GROUP BY time(bucket) and one tag, fill(none) (an empty bucket stays a gap), at most maxSeries
// series (SLIMIT), so an answer holds at most maxSeries x maxPoints rows however long the window.
// The dashboard fills its charts with it when it opens (docs/dashboard.md, "Chart history").

#include "http/HttpConnection.h"
#include "influx/InfluxOptions.h"

#include <QObject>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QVector>

namespace greenpulse::core {

struct HistoryRequest
{
    QString measurement;
    QString tag;                                // one series per value of this tag
    QStringList fields;                         // each aggregated per bucket
    QString aggregate = QStringLiteral("mean"); // an InfluxQL function: mean, last, max...
    qint64 fromMs = 0;                          // the window [fromMs, toMs), ms since the epoch
    qint64 toMs = 0;
    int maxPoints = 1000; // per series: the bucket is the window / maxPoints, whole seconds
    int maxSeries = 100;  // SLIMIT

    qint64 bucketMs() const;
    QString influxql() const;
};

// One field of one series: points at the start of each bucket (ms since the epoch), oldest first.
struct HistorySeries
{
    QString measurement;
    QString tagValue;
    QString field;
    QVector<QPointF> points;
};

struct HistoryAnswer
{
    QVector<HistorySeries> series;
    QString error; // empty: fine
};

class HistoryQuery : public QObject
{
    Q_OBJECT
public:
    // An answer larger than this fails (the request bounds it far below: 100 x 1000 rows).
    static constexpr qint64 kMaxAnswerBytes = 64LL * 1024 * 1024;

    explicit HistoryQuery(QObject *parent = nullptr);

    // Sends the query; finished() follows once (a request still in flight is dropped first).
    void start(const InfluxOptions &options, const HistoryRequest &request);
    bool isBusy() const { return m_http->isBusy(); }

    // The rows of an answer to `request` (InfluxDB's JSON, epoch=ms), or its error.
    static HistoryAnswer parse(const QByteArray &body, const HistoryRequest &request);

signals:
    void finished(const greenpulse::core::HistoryAnswer &answer);

private:
    void onFinished(const HttpResponse &response);

    HttpConnection *m_http = nullptr;
    InfluxOptions m_options;
    HistoryRequest m_request;
};

} // namespace greenpulse::core
