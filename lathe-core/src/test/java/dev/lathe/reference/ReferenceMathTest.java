package dev.lathe.reference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReferenceMathTest {

    /** Reference values from a correctly rounded erf (CPython's math.erf / mpmath). */
    @Test
    void erfMatchesKnownValuesToRelative1e12() {
        double[][] known = {
                {0.5, 0.5204998778130465},
                {1, 0.8427007929497149},
                {2, 0.9953222650189527},
                {-3, -0.9999779095030014},
                {0.1, 0.1124629160182849},
                {1e-10, 1.1283791670955126e-10},
                {4, 0.9999999845827421},
                {5.5, 0.9999999999999927},
        };
        for (double[] k : known) {
            double got = ReferenceMath.erf(k[0]);
            assertEquals(k[1], got, Math.abs(k[1]) * 1e-12, "erf(" + k[0] + ")");
        }
    }

    @Test
    void erfSpecialValuesAndSymmetry() {
        assertEquals(1.0, ReferenceMath.erf(6));
        assertEquals(1.0, ReferenceMath.erf(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, ReferenceMath.erf(Double.NEGATIVE_INFINITY));
        assertTrue(Double.isNaN(ReferenceMath.erf(Double.NaN)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(ReferenceMath.erf(-0.0)));
        for (double x = 0.01; x < 7; x += 0.037) {
            double y = ReferenceMath.erf(x);
            assertEquals(-y, ReferenceMath.erf(-x));
            assertTrue(y > 0 && y <= 1, "erf(" + x + ") = " + y);
            // Increasing, up to the last few ulps where erf(x) is within rounding of 1.
            assertTrue(ReferenceMath.erf(x + 0.037) >= y - 4 * Math.ulp(y), "erf is increasing at " + x);
        }
    }
}
