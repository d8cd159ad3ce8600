package dev.lathe.examples;

import dev.lathe.template.ConfigSpace;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ConvTemplatesTest {
    @Test
    void im2colFallbackAndRandomConfigsMatchTheReference() {
        TemplateExamplesCheck.fallbackAndRandomMatch(
                TemplateExamplesCheck.task(Im2colConv2dTemplate.declare(6, 7, 8, 16, 3, 3, 1)),
                Im2colConv2dTemplate.TEMPLATE, 4, 2);
    }

    @Test
    void sparseFallbackAndRandomConfigsMatchTheReferenceWithRealIndices() {
        SparseIm2colConv2dTemplate.Problem p = SparseIm2colConv2dTemplate.declare(6, 6, 8, 32, 3, 3, 1, 0.7,
                new Random(5), 1);
        TemplateExamplesCheck.fallbackAndRandomMatch(p.task(), SparseIm2colConv2dTemplate.TEMPLATE, 4, 3);
    }

    @Test
    void c1SpacesAreLarge() {
        ConfigSpace dense = Im2colConv2dTemplate.TEMPLATE.space(Im2colConv2dTemplate.declareC1());
        assertTrue(dense.size() > 1_000_000, dense.toString());
        ConfigSpace sparse = SparseIm2colConv2dTemplate.TEMPLATE.space(SparseIm2colConv2dTemplate.declareC1(1).dag());
        assertTrue(sparse.size() > 1000, sparse.toString());
    }
}
