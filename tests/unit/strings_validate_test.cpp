#include <gtest/gtest.h>

#include "util/Error.h"
#include "util/Strings.h"
#include "util/Validate.h"

using namespace vcluster;

TEST(Strings, SplitJoinTrim) {
    EXPECT_EQ(split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
    EXPECT_EQ(join({"list", "host"}, " "), "list host");
    EXPECT_EQ(trim("  x y \n"), "x y");
}

TEST(Strings, EditDistanceAndNearest) {
    EXPECT_EQ(editDistance("host", "hots"), 2U);
    EXPECT_EQ(editDistance("", "abc"), 3U);
    EXPECT_EQ(nearest("membrship", {"membership", "rack", "rank"}), "membership");
    EXPECT_EQ(nearest("zzzzzzzz", {"membership", "rack"}), "");
}

TEST(Strings, ParseInteger) {
    EXPECT_EQ(parseInteger("42", "cpus"), 42);
    EXPECT_THROW(parseInteger("4x", "cpus"), Error);
    EXPECT_THROW(parseInteger("-1", "cpus"), Error);
    EXPECT_THROW(parseInteger("", "cpus"), Error);
    try {
        parseInteger("abc", "rack");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("rack"), std::string::npos);
    }
}

TEST(Validate, HostNamesFollowRocksRules) {
    for (const char* good : {"compute-0-0", "vm-server-1-12", "a", "Frontend1"}) {
        EXPECT_NO_THROW(validateHostName(good)) << good;
    }
    for (const char* bad :
         {"", "-lead", "trail-", "a;rm -rf /", "a b", "x$(id)", "a'b", "a.b", "a`b`", "a\nb",
          "0123456789012345678901234567890123456789012345678901234567890123"}) {
        EXPECT_THROW(validateHostName(bad), Error) << bad;
    }
}

TEST(Validate, FqdnIdentifierText) {
    EXPECT_NO_THROW(validateFqdn("fe.course.example.org"));
    EXPECT_THROW(validateFqdn("fe..example.org"), Error);
    EXPECT_THROW(validateFqdn("fe;example.org"), Error);
    EXPECT_NO_THROW(validateIdentifier("Kickstart_PublicDNSDomain", "attr"));
    EXPECT_THROW(validateIdentifier("a b", "attr"), Error);
    EXPECT_THROW(validateIdentifier("a'--", "attr"), Error);
    EXPECT_NO_THROW(validateText("192.0.2.10-192.0.2.20, 192.0.2.30", "value"));
    EXPECT_THROW(validateText(std::string("a\nb"), "value"), Error);
}

TEST(Validate, MacAddresses) {
    EXPECT_EQ(normalizeMac("00:50:56:AB:cd:EF"), "00:50:56:ab:cd:ef");
    for (const char* bad :
         {"00:50:56:ab:cd", "00-50-56-ab-cd-ef", "00:50:56:ab:cd:eg", "0050.56ab.cdef"}) {
        EXPECT_THROW(normalizeMac(bad), Error) << bad;
    }
}

TEST(Validate, IPv4AndNetmasks) {
    EXPECT_EQ(parseIPv4("10.1.255.254"), 0x0A01FFFEU);
    EXPECT_EQ(formatIPv4(0x0A01FFFEU), "10.1.255.254");
    for (const char* bad : {"10.1.1", "10.1.1.256", "10.1.1.01", "a.b.c.d", "10.1.1.1.1", ""}) {
        EXPECT_THROW(parseIPv4(bad), Error) << bad;
    }
    EXPECT_EQ(parseNetmask("255.255.0.0"), 16);
    EXPECT_EQ(parseNetmask("255.255.255.255"), 32);
    EXPECT_EQ(parseNetmask("0.0.0.0"), 0);
    EXPECT_THROW(parseNetmask("255.0.255.0"), Error);
    EXPECT_EQ(prefixToMask(24), 0xFFFFFF00U);
}
