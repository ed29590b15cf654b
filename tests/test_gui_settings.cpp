// The settings dialog is built from the option table: it edits exactly the rows marked
// `dashboard`, each as its kind says, within the row's bounds and choices.
#include "options/OptionNames.h"
#include "options/Options.h"
#include "runtime/GuiSettings.h"
#include "widgets/SettingsDialog.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <gtest/gtest.h>

using namespace greenpulse;

TEST(SettingsDialogFromTable, EditsTheDashboardRowsWithTheirBoundsAndChoices)
{
    QTemporaryDir dir;
    QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
    core::Options options(QStringLiteral("greenpulse"),
                          core::Options::Mqtt | core::Options::Influx | core::Options::Ledger);
    app::GuiSettings gui(settings, options);
    int code = 0;
    ASSERT_TRUE(options.parse(
        {QStringLiteral("greenpulse"), QStringLiteral("--config"), QStringLiteral("/dev/null")},
        &code, QProcessEnvironment()));
    const QStringList editable = gui.editableOptions();
    EXPECT_EQ(editable.size(), 16);
    app::SettingsDialog dialog(gui);
    for (const core::OptionSpec &row : options.specs()) {
        SCOPED_TRACE(row.name.toStdString());
        QWidget *field = dialog.field(row.name);
        EXPECT_EQ(field != nullptr, row.dashboard);
        EXPECT_EQ(editable.contains(row.name), row.dashboard);
        if (!field) {
            continue;
        }
        if (row.isNumber()) {
            auto *spin = qobject_cast<QDoubleSpinBox *>(field);
            ASSERT_NE(spin, nullptr);
            EXPECT_DOUBLE_EQ(spin->minimum(), row.minimum);
            EXPECT_DOUBLE_EQ(spin->maximum(), row.maximum);
            EXPECT_DOUBLE_EQ(spin->value(), row.defaultValue.toDouble());
        } else if (row.kind == core::OptionSpec::Kind::Enum) {
            auto *box = qobject_cast<QComboBox *>(field);
            ASSERT_NE(box, nullptr);
            ASSERT_EQ(box->count(), row.choices.size());
            for (int i = 0; i < box->count(); ++i) {
                EXPECT_EQ(box->itemData(i).toString(), row.choices.at(i));
            }
            EXPECT_EQ(box->currentData().toString(), row.defaultValue);
        } else {
            auto *line = qobject_cast<QLineEdit *>(field);
            ASSERT_NE(line, nullptr);
            EXPECT_EQ(line->echoMode() == QLineEdit::Password, row.secret);
        }
    }
    EXPECT_TRUE(gui.isSecret(core::opt::kInfluxToken));
    EXPECT_FALSE(gui.isSecret(core::opt::kBroker));
}
