#include "widgets/JobReportRenderer.h"

#include "base/Version.h"
#include "runtime/Format.h"
#include "widgets/JobReport.h"
#include "widgets/JobReportChart.h"

#include <QDateTime>
#include <QPainter>
#include <algorithm>

namespace greenpulse::app {

namespace {

constexpr double kWidth = JobReportRenderer::kPageWidth - 2 * JobReportRenderer::kMargin;
constexpr double kLeft = JobReportRenderer::kMargin;
constexpr double kRow = 18;       // a table row
constexpr double kHeading = 28;   // a section heading
constexpr double kSection = 12;   // space above a section
constexpr double kChartTop = 306; // after the title and the totals, whatever they hold
const QColor kText(0x20, 0x20, 0x20);
const QColor kMuted(0x66, 0x66, 0x66);
const QColor kAccent(0x00, 0x72, 0xb2);

struct Style
{
    double pixels = 13;
    bool bold = false;
    QColor color = kText;
};

// One line of text in `rect`, elided to fit.
void text(QPainter &painter, const QRectF &rect, const QString &s, const Style &style = {},
          Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter)
{
    QFont font;
    font.setPixelSize(static_cast<int>(style.pixels));
    font.setBold(style.bold);
    painter.setFont(font);
    painter.setPen(style.color);
    painter.drawText(
        rect, align,
        painter.fontMetrics().elidedText(s, Qt::ElideRight, static_cast<int>(rect.width())));
}

double heading(QPainter &painter, double y, const QString &title)
{
    text(painter, QRectF(kLeft, y, kWidth, kHeading - 6), title, {16, true, kAccent});
    painter.setPen(QPen(QColor(0xd0, 0xd0, 0xd0), 1));
    painter.drawLine(QPointF(kLeft, y + kHeading - 5), QPointF(kLeft + kWidth, y + kHeading - 5));
    return y + kHeading;
}

// Cells of a table row at `x` offsets (from the left margin), the last one to the right edge.
void row(QPainter &painter, double y, const QVector<double> &x, const QStringList &cells,
         const Style &style = {})
{
    for (int i = 0; i < cells.size() && i < x.size(); ++i) {
        const double right = i + 1 < x.size() ? x[i + 1] - 8 : kWidth;
        text(painter, QRectF(kLeft + x[i], y, right - x[i], kRow), cells[i], style);
    }
}

QString localAndUtc(double ms)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms));
    return QStringLiteral("%1 (%2 UTC)")
        .arg(t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
             t.toUTC().toString(QStringLiteral("HH:mm:ss")));
}

QString clock(double ms)
{
    return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms))
        .toString(QStringLiteral("HH:mm:ss"));
}

} // namespace

QRectF JobReportRenderer::plotRect()
{
    // Room for the heading and the unit above, the value labels left, time labels and the legend
    // below.
    return QRectF(kLeft + 64, kChartTop + kHeading + 22, kWidth - 64, 260);
}

void JobReportRenderer::paint(QPainter &painter, const QRectF &target) const
{
    painter.save();
    painter.translate(target.topLeft());
    const double scale = target.width() / kPageWidth;
    painter.scale(scale, scale);
    painter.fillRect(QRectF(0, 0, kPageWidth, kPageHeight), Qt::white);
    painter.setRenderHint(QPainter::TextAntialiasing);
    paintTotals(painter, paintTitle(painter, kMargin));

    heading(painter, kChartTop, tr("Power per host over the job's span"));
    const QRectF plot = plotRect();
    constexpr double kLegend = 2 * kRow;
    JobReportChart(m_report).paint(painter, plot, kLegend);

    double y = plot.bottom() + 26 + kLegend + kSection;
    const double footer = kPageHeight - kMargin;
    // The hosts take what the factors and six gap lines leave them.
    const int hostRows = std::clamp(static_cast<int>((footer - y - 520) / kRow), 2, 12);
    y = paintHosts(painter, y, hostRows);
    y = paintFactors(painter, y + kSection);
    paintCoverage(painter, y + kSection, footer - 24);
    paintFooter(painter);
    painter.restore();
}

QString JobReportRenderer::spanText() const
{
    const core::JobSummary &job = m_report.job;
    if (job.running) {
        return tr("Running since %1 · %2 so far (figures up to %3)")
            .arg(localAndUtc(m_report.fromMs), format::duration(job.durationSeconds),
                 clock(m_report.toMs));
    }
    QString exit;
    if (!job.exitState.isEmpty()) {
        exit = QStringLiteral(" · ") + job.exitState;
    } else if (job.exitCode) {
        exit = tr(" · exit code %1").arg(*job.exitCode);
    }
    return tr("Ended · %1 → %2 · %3")
               .arg(localAndUtc(m_report.fromMs), clock(m_report.toMs),
                    format::duration(job.durationSeconds)) +
           exit;
}

double JobReportRenderer::paintTitle(QPainter &painter, double y) const
{
    const core::JobSummary &job = m_report.job;
    text(painter, QRectF(kLeft, y, kWidth, 36), tr("Job report: %1").arg(m_report.title()),
         {28, true});
    y += 38;
    QString id = tr("Job id %1").arg(job.jobId);
    if (!job.user.isEmpty()) {
        id += tr(" · user %1").arg(job.user);
    }
    text(painter, QRectF(kLeft, y, kWidth, kRow), id, {12, false, kMuted});
    y += kRow + 2;
    text(painter, QRectF(kLeft, y, kWidth, 20), spanText(), {13});
    y += 22;
    const QString ledger =
        m_report.followedProcessor.isEmpty()
            ? tr("Ledger: this dashboard's processor")
            : tr("Ledger: %1's, followed (factors not in its summaries are this dashboard's)")
                  .arg(m_report.followedProcessor);
    text(painter, QRectF(kLeft, y, kWidth, kRow), ledger, {12, false, kMuted});
    return y + kRow + kSection;
}

double JobReportRenderer::paintTotals(QPainter &painter, double y) const
{
    const core::JobSummary &job = m_report.job;
    const core::JobFootprint &f = job.footprint;
    y = heading(painter, y, tr("Totals"));
    const QString pue = m_report.factors.isEmpty()
                            ? QString()
                            : tr(" (PUE %1)").arg(format::number(m_report.factors[0].value, 2));
    const QString co2e = QStringLiteral(" CO₂e");
    const QList<QPair<QString, QString>> cells = {
        {tr("IT energy"), format::kwh(job.kwh)},
        {tr("Water consumed (est.)"), format::liters(f.waterL())},
        {tr("Facility energy"), format::kwh(f.facilityKwh) + pue},
        {tr("  on site · off site"),
         format::liters(f.waterOnsiteL) + QStringLiteral(" · ") + format::liters(f.waterOffsiteL)},
        {tr("Operational carbon"), format::kgCo2e(job.co2eKg) + co2e},
        {tr("Coolant circulated"),
         job.hasFlowSensor() ? format::liters(job.liters) + tr(" (loop flow, not consumed)")
                             : tr("no sensor")},
        {tr("Embodied carbon"),
         f.embodiedKg > 0 ? format::kgCo2e(f.embodiedKg) + co2e : tr("not configured")},
        {tr("Power, average · peak"),
         format::watts(job.avgWatts) + QStringLiteral(" · ") + format::watts(job.peakWatts)},
        {tr("Total carbon (SCI-style)"), format::kgCo2e(job.sciKg()) + co2e},
        {tr("Coverage"), format::percent(job.coverage)},
    };
    const double column = kWidth / 2;
    for (int i = 0; i < cells.size(); ++i) {
        const double x = kLeft + (i % 2) * column;
        const double top = y + (i / 2) * 22;
        text(painter, QRectF(x, top, 180, 20), cells[i].first, {13, false, kMuted});
        text(painter, QRectF(x + 186, top, column - 194, 20), cells[i].second, {13, true});
    }
    return y + 5 * 22;
}

double JobReportRenderer::paintHosts(QPainter &painter, double y, int maxRows) const
{
    y = heading(painter, y, tr("Hosts"));
    const QVector<double> x = {0, 170, 370, 560, 650, 740};
    row(painter, y, x,
        {tr("Host"), tr("Grid zone (source)"), tr("GPUs held"), tr("Mean"), tr("Peak"), tr("Gaps")},
        {12, true, kMuted});
    y += kRow;
    const int count = static_cast<int>(m_report.hosts.size());
    const int shown = count > maxRows ? maxRows - 1 : count;
    for (int i = 0; i < shown; ++i) {
        const JobReport::Host &host = m_report.hosts[static_cast<size_t>(i)];
        int gaps = 0;
        double gapSeconds = 0;
        for (const JobReport::Span &gap : m_report.gaps) {
            if (gap.host == host.name) {
                ++gaps;
                gapSeconds += gap.seconds();
            }
        }
        const QString zone = host.zone.isEmpty()
                                 ? tr("none (constant)")
                                 : host.zone + (host.zoneSource.isEmpty()
                                                    ? QString()
                                                    : QStringLiteral(" (%1)").arg(host.zoneSource));
        const QString name = host.contributed ? host.name : tr("%1 (no energy)").arg(host.name);
        row(painter, y, x,
            {name, zone,
             host.gpus.isEmpty() ? tr("not known (whole host)")
                                 : host.gpus.join(QStringLiteral(", ")),
             host.points ? format::watts(host.meanWatts) : QStringLiteral("–"),
             host.points ? format::watts(host.peakWatts) : QStringLiteral("–"),
             gaps ? tr("%n gap(s), %1", nullptr, gaps).arg(format::duration(gapSeconds))
                  : tr("none")},
            {12});
        y += kRow;
    }
    if (shown < count) {
        text(painter, QRectF(kLeft, y, kWidth, kRow),
             tr("and %1 more hosts (all in the CSV)").arg(count - shown), {12, false, kMuted});
        y += kRow;
    }
    return y;
}

double JobReportRenderer::paintFactors(QPainter &painter, double y) const
{
    y = heading(painter, y, tr("Factors and their sources"));
    const QVector<double> x = {0, 250, 420};
    row(painter, y, x, {tr("Factor"), tr("Value"), tr("Source")}, {12, true, kMuted});
    y += kRow;
    for (const JobReport::Factor &f : m_report.factors) {
        const QString value =
            format::number(f.value, 4) + (f.unit.isEmpty() ? QString() : QLatin1Char(' ') + f.unit);
        row(painter, y, x, {f.label, value}, {12});
        text(painter, QRectF(kLeft + x[2], y, kWidth - x[2], kRow), f.source, {11, false, kMuted});
        y += kRow;
    }
    return y;
}

double JobReportRenderer::paintCoverage(QPainter &painter, double y, double bottom) const
{
    const core::JobSummary &job = m_report.job;
    y = heading(painter, y, tr("Coverage and gaps"));
    QString power = tr("Power: %1 of the hosts' time covered (%2 host-s integrated, %3 host-s "
                       "in gaps over the %4 s gap bound")
                        .arg(format::percent(job.coverage), format::number(job.coveredSeconds, 1),
                             format::number(job.uncoveredSeconds, 1),
                             format::number(m_report.maxGapSeconds, 1));
    power += job.silentSeconds > 0
                 ? tr(", %1 host-s silent so far)").arg(format::number(job.silentSeconds, 1))
                 : QStringLiteral(")");
    text(painter, QRectF(kLeft, y, kWidth, kRow), power, {12});
    y += kRow;
    const bool noFlow = !job.hasFlowSensor();
    text(painter, QRectF(kLeft, y, kWidth, kRow),
         noFlow ? tr("Coolant flow: no flow sensor on its hosts (coolant litres not measured)")
                : tr("Coolant flow: %1 covered").arg(format::percent(job.waterCoverage)),
         {12});
    y += kRow + 4;

    QVector<JobReport::Span> spans = m_report.gaps + m_report.outages;
    std::stable_sort(spans.begin(), spans.end(),
                     [](const auto &a, const auto &b) { return a.fromMs < b.fromMs; });
    if (!m_report.hasSeries) {
        text(painter, QRectF(kLeft, y, kWidth, kRow),
             tr("Gaps: not listed, no power curve held for this span (the uncovered time above "
                "is the ledger's)"),
             {12, false, kMuted});
        return y + kRow;
    }
    if (spans.isEmpty()) {
        text(painter, QRectF(kLeft, y, kWidth, kRow),
             tr("Gaps: none, every host reported throughout (silences under %1 s are not listed)")
                 .arg(format::number(JobReport::kMinGapMs / 1000, 1)),
             {12});
        return y + kRow;
    }
    text(painter, QRectF(kLeft, y, kWidth, kRow),
         tr("%n gap(s) (silences over %1 s in a host's power, and broker outages), local time:",
            nullptr, static_cast<int>(spans.size()))
             .arg(format::number(JobReport::kMinGapMs / 1000, 1)),
         {12, true});
    y += kRow;
    const QVector<double> x = {0, 170, 330, 420};
    const int fit = std::max(1, static_cast<int>((bottom - y) / kRow));
    const int shown = spans.size() > fit ? fit - 1 : static_cast<int>(spans.size());
    for (int i = 0; i < shown; ++i) {
        const JobReport::Span &s = spans[i];
        row(painter, y, x,
            {s.host.isEmpty() ? tr("(broker)") : s.host,
             clock(s.fromMs) + QStringLiteral(" – ") + clock(s.toMs), format::duration(s.seconds()),
             s.why},
            {12});
        y += kRow;
    }
    if (shown < spans.size()) {
        text(painter, QRectF(kLeft, y, kWidth, kRow),
             tr("and %1 more (all in the CSV)").arg(spans.size() - shown), {12, false, kMuted});
        y += kRow;
    }
    return y;
}

void JobReportRenderer::paintFooter(QPainter &painter) const
{
    const double y = kPageHeight - kMargin + 8;
    painter.setPen(QPen(QColor(0xd0, 0xd0, 0xd0), 1));
    painter.drawLine(QPointF(kLeft, y - 4), QPointF(kLeft + kWidth, y - 4));
    const double generatedMs = static_cast<double>(m_report.generatedNs) / 1e6;
    text(painter, QRectF(kLeft, y, kWidth, kRow),
         tr("GreenPulse %1 · generated %2 · how each figure is computed: docs/footprint.md")
             .arg(QLatin1String(core::kVersion), localAndUtc(generatedMs)),
         {11, false, kMuted});
}

} // namespace greenpulse::app
