package dev.lossfloor.trainer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * AdamW with weight decay on 2-D weights only (as nanoGPT). M2.1 has no AdamW and its decoupled decay hits every
 * parameter, so the update is done here: decay p *= 1 - lr * wd, then ND4J's fused Adam step.
 *
 * <p>ND4J's Adam divides by sqrt(v) + eps with the bias corrections folded into the step size; PyTorch divides
 * by sqrt(v / (1 - beta2^t)) + eps. The two differ only in how eps (1e-8) is scaled.
 */
public final class AdamW {
    private final List<GptModel.Parameter> parameters;
    private final double beta1, beta2, epsilon, weightDecay;
    private final INDArray[] m, v;
    private int step; // number of updates applied so far

    public AdamW(List<GptModel.Parameter> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
        this.parameters = parameters;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.m = new INDArray[parameters.size()];
        this.v = new INDArray[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            INDArray p = parameters.get(i).array();
            m[i] = Nd4j.zeros(p.dataType(), p.shape());
            v[i] = Nd4j.zeros(p.dataType(), p.shape());
        }
    }

    /** Applies one update; the gradient arrays are consumed (overwritten with the update). */
    public void step(Map<String, INDArray> gradients, double lr) {
        for (int i = 0; i < parameters.size(); i++) {
            GptModel.Parameter p = parameters.get(i);
            INDArray g = gradients.get(p.name());
            if (p.decay() && weightDecay > 0) p.array().muli(1.0 - lr * weightDecay);
            Nd4j.exec(new AdamUpdater(g, v[i], m[i], lr, beta1, beta2, epsilon, step));
            p.array().subi(g);
        }
        step++;
    }

    public int stepCount() { return step; }

    public INDArray firstMoment(int i) { return m[i]; }

    public INDArray secondMoment(int i) { return v[i]; }

    /** Restores the state saved by a checkpoint. */
    public void restore(int step, List<INDArray> firstMoments, List<INDArray> secondMoments) {
        this.step = step;
        for (int i = 0; i < m.length; i++) {
            m[i].assign(firstMoments.get(i));
            v[i].assign(secondMoments.get(i));
        }
    }
}
