package dev.lathe.examples;

import dev.lathe.template.ConfigSpace;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MatmulTemplateTest {
    @Test
    void fallbackAndRandomConfigsMatchTheReference() {
        TemplateExamplesCheck.fallbackAndRandomMatch(TemplateExamplesCheck.task(MatmulTemplate.declare(48, 64, 32)),
                MatmulTemplate.TEMPLATE, 6, 1);
    }

    @Test
    void mm1SpaceSize() {
        ConfigSpace s = MatmulTemplate.TEMPLATE.space(MatmulTemplate.declare(1024, 1024, 1024));
        assertEquals(66L * 66 * 11 * 2 * 5 * 9 * 2 * 2 * 2, s.size());
    }
}
