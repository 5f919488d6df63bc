#include <gtest/gtest.h>

#include <sstream>

#include "cli/Table.h"
#include "util/Error.h"

using namespace vcluster;
using namespace vcluster::cli;

TEST(Table, TextIsAlignedWithUpperCaseHeaderAndKeyColon) {
    Table t({{"host"}, {"cpus", Table::Kind::Number}, {"membership"}});
    t.addRow({"vm-server-0-0", "16", "VM Server"});
    t.addRow({"gw", "4", "Gateway"});
    std::ostringstream out;
    t.render(out, OutputFormat::Text);
    EXPECT_EQ(out.str(),
              "HOST           CPUS MEMBERSHIP\n"
              "vm-server-0-0: 16   VM Server\n"
              "gw:            4    Gateway\n");
}

TEST(Table, JsonHasStableLowerCaseKeysEscapesAndNumbers) {
    Table t({{"host"}, {"rack", Table::Kind::Number}, {"run action"}});
    t.addRow({"a\"b\\c", "", "os"});
    t.addRow({"x", "3", "line\nbreak"});
    std::ostringstream out;
    t.render(out, OutputFormat::Json);
    EXPECT_EQ(out.str(),
              "[\n  {\"host\":\"a\\\"b\\\\c\", \"rack\":null, \"run_action\":\"os\"},\n"
              "  {\"host\":\"x\", \"rack\":3, \"run_action\":\"line\\nbreak\"}\n]\n");
}

TEST(Table, EmptyJsonIsAnEmptyArray) {
    Table t({{"host"}});
    std::ostringstream out;
    t.render(out, OutputFormat::Json);
    EXPECT_EQ(out.str(), "[]\n");
}

TEST(Table, OutputFormatIsValidated) {
    EXPECT_EQ(parseOutputFormat("json"), OutputFormat::Json);
    EXPECT_EQ(parseOutputFormat(""), OutputFormat::Text);
    EXPECT_THROW(parseOutputFormat("xml"), Error);
}
