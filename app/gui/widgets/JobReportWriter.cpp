#include "widgets/JobReportWriter.h"

#include "base/Version.h"
#include "widgets/JobCsv.h"
#include "widgets/JobReport.h"
#include "widgets/JobReportRenderer.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

namespace greenpulse::app {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("JobReportWriter", text);
}

bool fail(QString *error, const QString &message)
{
    if (error) {
        *error = message;
    }
    return false;
}

// One CSV row: section,key,host,value,unit,from_utc,to_utc,note.
struct Row
{
    Row(QString section_, QString key_, QString host_, QString value_, QString unit_ = {},
        QString from_ = {}, QString to_ = {}, QString note_ = {})
        : section(std::move(section_)), key(std::move(key_)), host(std::move(host_)),
          value(std::move(value_)), unit(std::move(unit_)), from(std::move(from_)),
          to(std::move(to_)), note(std::move(note_))
    {}

    QString section;
    QString key;
    QString host;
    QString value;
    QString unit;
    QString from;
    QString to;
    QString note;

    QString csv() const
    {
        using jobcsv::field;
        return QStringList{field(section), field(key),  field(host), field(value),
                           field(unit),    field(from), field(to),   field(note)}
                   .join(QLatin1Char(',')) +
               QLatin1Char('\n');
    }
};

QVector<Row> jobRows(const JobReport &report)
{
    using namespace jobcsv;
    const core::JobSummary &job = report.job;
    const core::JobFootprint &f = job.footprint;
    const QString s = QStringLiteral("job");
    const auto value = [&](QLatin1String key, double v, const QString &unit) {
        return Row{s, key, {}, exact(v), unit};
    };
    return {
        {s, kJobId, {}, job.jobId},
        {s, QStringLiteral("name"), {}, report.title()},
        {s, QStringLiteral("user"), {}, job.user},
        {s, kHosts, {}, job.hosts.join(QLatin1Char(' '))},
        {s, kStatus, {}, status(job)},
        {s, kStartUtc, {}, isoTime(job.startNs)},
        {s, kEndUtc, {}, isoTime(job.endNs)},
        value(kDurationS, job.durationSeconds, QStringLiteral("s")),
        value(kKwh, job.kwh, QStringLiteral("kWh")),
        value(kCo2eKg, job.co2eKg, QStringLiteral("kg CO2e")),
        value(kLiters, job.liters, QStringLiteral("L coolant circulated")),
        value(kAvgWatts, job.avgWatts, QStringLiteral("W")),
        value(kPeakWatts, job.peakWatts, QStringLiteral("W")),
        value(kCoverage, job.coverage, QStringLiteral("fraction")),
        {s,
         kExitCode,
         {},
         job.exitCode ? QString::number(*job.exitCode) : QString(),
         {},
         {},
         {},
         job.exitState},
        value(kFacilityKwh, f.facilityKwh, QStringLiteral("kWh")),
        value(kWaterOnsiteL, f.waterOnsiteL, QStringLiteral("L")),
        value(kWaterOffsiteL, f.waterOffsiteL, QStringLiteral("L")),
        value(kEmbodiedCo2eKg, f.embodiedKg, QStringLiteral("kg CO2e")),
        value(kSciCo2eKg, job.sciKg(), QStringLiteral("kg CO2e")),
    };
}

QVector<Row> coverageRows(const JobReport &report)
{
    using namespace jobcsv;
    const core::JobSummary &job = report.job;
    const QString s = QStringLiteral("coverage");
    const QString hostS = QStringLiteral("host-s");
    return {
        {s, kCoveredS, {}, exact(job.coveredSeconds), hostS},
        {s, kUncoveredS, {}, exact(job.uncoveredSeconds), hostS},
        {s, kSilentS, {}, exact(job.silentSeconds), hostS},
        {s,
         kWaterCoverage,
         {},
         exact(job.waterCoverage),
         QStringLiteral("fraction"),
         {},
         {},
         !job.hasFlowSensor() ? tr("no flow sensor") : QString()},
        {s, kMaxGapS, {}, exact(report.maxGapSeconds), QStringLiteral("s")},
    };
}

QVector<Row> hostRows(const JobReport::Host &host)
{
    const QString s = QStringLiteral("host");
    QVector<Row> rows = {
        {s, QStringLiteral("energy_to_job"), host.name,
         host.contributed ? QStringLiteral("yes") : QStringLiteral("no")},
        {s, QStringLiteral("zone"), host.name, host.zone, {}, {}, {}, host.zoneSource},
        {s, QStringLiteral("gpus"), host.name, host.gpus.join(QLatin1Char(' '))},
    };
    if (host.points > 0) {
        const QString from = jobcsv::isoTimeMs(host.runs.constFirst().constFirst().x());
        const QString to = jobcsv::isoTimeMs(host.runs.constLast().constLast().x());
        rows += {{s, QStringLiteral("mean_watts"), host.name, jobcsv::exact(host.meanWatts),
                  QStringLiteral("W"), from, to, tr("of its chart points")},
                 {s, QStringLiteral("peak_watts"), host.name, jobcsv::exact(host.peakWatts),
                  QStringLiteral("W"), from, to, tr("of its chart points")}};
    }
    return rows;
}

Row spanRow(const QString &section, const JobReport::Span &span)
{
    return {section,
            section,
            span.host,
            jobcsv::exact(span.seconds()),
            QStringLiteral("s"),
            jobcsv::isoTimeMs(span.fromMs),
            jobcsv::isoTimeMs(span.toMs),
            span.why};
}

} // namespace

JobReportWriter::Format JobReportWriter::formatOf(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("pdf")) {
        return Format::Pdf;
    }
    if (suffix == QLatin1String("png")) {
        return Format::Png;
    }
    if (suffix == QLatin1String("csv")) {
        return Format::Csv;
    }
    return Format::Unknown;
}

QSize JobReportWriter::pngSize()
{
    return {1240, 1754}; // A4 at 150 dpi
}

bool JobReportWriter::write(const JobReport &report, const QString &path, QString *error)
{
    switch (formatOf(path)) {
    case Format::Pdf:
        return writePdf(report, path, error);
    case Format::Png:
        return writePng(report, path, error);
    case Format::Csv:
        return writeCsv(report, path, error);
    case Format::Unknown:
        break;
    }
    if (error) {
        *error = tr("unknown format: the file name must end in .pdf, .png or .csv");
    }
    return false;
}

QString JobReportWriter::toCsv(const JobReport &report)
{
    QString out = Row{QStringLiteral("section"), QStringLiteral("key"),  QStringLiteral("host"),
                      QStringLiteral("value"),   QStringLiteral("unit"), QStringLiteral("from_utc"),
                      QStringLiteral("to_utc"),  QStringLiteral("note")}
                      .csv();
    for (const Row &row : jobRows(report) + coverageRows(report)) {
        out += row.csv();
    }
    for (const JobReport::Factor &f : report.factors) {
        out += Row{QStringLiteral("factor"),
                   f.key,
                   {},
                   jobcsv::exact(f.value),
                   f.unit,
                   {},
                   {},
                   f.source}
                   .csv();
    }
    for (const JobReport::Host &host : report.hosts) {
        for (const Row &row : hostRows(host)) {
            out += row.csv();
        }
    }
    for (const JobReport::Span &gap : report.gaps) {
        out += spanRow(QStringLiteral("gap"), gap).csv();
    }
    for (const JobReport::Span &outage : report.outages) {
        out += spanRow(QStringLiteral("outage"), outage).csv();
    }
    for (const JobReport::Host &host : report.hosts) {
        for (const QVector<QPointF> &run : host.runs) {
            for (const QPointF &p : run) {
                out +=
                    Row{QStringLiteral("power"), QStringLiteral("watts"), host.name,
                        jobcsv::exact(p.y()),    QStringLiteral("W"),     jobcsv::isoTimeMs(p.x())}
                        .csv();
            }
        }
    }
    out += Row{QStringLiteral("report"),
               QStringLiteral("generated_utc"),
               {},
               jobcsv::isoTime(report.generatedNs),
               {},
               {},
               {},
               QStringLiteral("GreenPulse %1").arg(QLatin1String(core::kVersion))}
               .csv();
    return out;
}

QImage JobReportWriter::toImage(const JobReport &report, const QSize &size)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    JobReportRenderer(report).paint(painter, QRectF(QPointF(0, 0), QSizeF(size)));
    painter.end();
    return image;
}

bool JobReportWriter::writePdf(const JobReport &report, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return fail(error, file.errorString());
    }
    {
        QPdfWriter pdf(&file);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(kPdfDpi);
        pdf.setTitle(tr("Job report: %1").arg(report.title()));
        pdf.setCreator(QStringLiteral("GreenPulse %1").arg(QLatin1String(core::kVersion)));
        QPainter painter;
        if (!painter.begin(&pdf)) {
            file.cancelWriting();
            return fail(error, tr("could not start the PDF"));
        }
        const QRectF page(0, 0, pdf.width(), pdf.height());
        JobReportRenderer(report).paint(painter, page);
        painter.end();
    }
    if (!file.commit()) {
        return fail(error, file.errorString());
    }
    return true;
}

bool JobReportWriter::writePng(const JobReport &report, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return fail(error, file.errorString());
    }
    if (!toImage(report).save(&file, "PNG")) {
        file.cancelWriting();
        return fail(error, tr("could not encode the PNG"));
    }
    if (!file.commit()) {
        return fail(error, file.errorString());
    }
    return true;
}

bool JobReportWriter::writeCsv(const JobReport &report, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        return fail(error, file.errorString());
    }
    file.write(toCsv(report).toUtf8());
    if (!file.commit()) {
        return fail(error, file.errorString());
    }
    return true;
}

} // namespace greenpulse::app
