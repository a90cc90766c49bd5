package dev.lossfloor.trainer;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * AdamW as PyTorch's torch.optim.AdamW computes it, with weight decay on 2-D weights only (as nanoGPT):
 * p *= 1 - lr wd; m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2; p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps).
 *
 * <p>The moments live in Java float arrays and the update runs over them in one pass per parameter (M2.1 has no
 * AdamW, and calling ND4J's Adam op once per tensor cost more than the arithmetic). Gradients arrive as float
 * arrays in {@link GptModel#parameters()} order, with the clipping factor applied on the fly.
 */
public final class AdamW {
    private final List<GptModel.Parameter> parameters;
    private final double beta1, beta2, epsilon, weightDecay;
    private final float[][] m, v, values;
    private int step; // number of updates applied so far

    public AdamW(List<GptModel.Parameter> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
        this.parameters = parameters;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        int count = parameters.size();
        this.m = new float[count][];
        this.v = new float[count][];
        this.values = new float[count][];
        for (int i = 0; i < count; i++) {
            int len = Math.toIntExact(parameters.get(i).array().length());
            m[i] = new float[len];
            v[i] = new float[len];
            values[i] = new float[len];
        }
    }

    /**
     * Applies one update with gradients {@code gradients[i] * gradScale} (gradScale is the clipping factor, 1 for
     * none) and writes the new values into the model's parameter arrays.
     */
    public void step(float[][] gradients, double lr, double gradScale) {
        step++;
        float b1 = (float) beta1, b2 = (float) beta2, scale = (float) gradScale, eps = (float) epsilon;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, step)));
        float invSqrtCorrection2 = (float) (1 / Math.sqrt(1 - Math.pow(beta2, step)));
        for (int i = 0; i < parameters.size(); i++) {
            GptModel.Parameter p = parameters.get(i);
            float[] value = values[i], g = gradients[i], mi = m[i], vi = v[i];
            read(p.array(), value);
            float decay = p.decay() ? (float) (1 - lr * weightDecay) : 1f;
            for (int j = 0; j < value.length; j++) {
                float gj = g[j] * scale;
                mi[j] = b1 * mi[j] + (1 - b1) * gj;
                vi[j] = b2 * vi[j] + (1 - b2) * gj * gj;
                float denom = (float) Math.sqrt(vi[j]) * invSqrtCorrection2 + eps;
                value[j] = value[j] * decay - stepSize * mi[j] / denom;
            }
            write(value, p.array());
        }
    }

    /** The same update from gradients held in ND4J arrays (the SameDiff reference path), without clipping. */
    public void step(Map<String, INDArray> gradients, double lr) {
        step(toFloat(gradients), lr, 1.0);
    }

    /** Gradients as float arrays in parameter order. */
    public float[][] toFloat(Map<String, INDArray> gradients) {
        float[][] out = new float[parameters.size()][];
        for (int i = 0; i < out.length; i++) {
            INDArray g = gradients.get(parameters.get(i).name());
            out[i] = g.castTo(DataType.FLOAT).dup('c').data().asFloat();
        }
        return out;
    }

    public int stepCount() { return step; }

    public INDArray firstMoment(int i) { return moment(m[i], i); }

    public INDArray secondMoment(int i) { return moment(v[i], i); }

    private INDArray moment(float[] values, int i) {
        INDArray p = parameters.get(i).array();
        return Nd4j.create(values.clone(), p.shape(), 'c').castTo(p.dataType());
    }

    /** Restores the state saved by a checkpoint. */
    public void restore(int step, List<INDArray> firstMoments, List<INDArray> secondMoments) {
        this.step = step;
        for (int i = 0; i < m.length; i++) {
            read(firstMoments.get(i), m[i]);
            read(secondMoments.get(i), v[i]);
        }
    }

    private static void read(INDArray source, float[] target) {
        if (source.dataType() == DataType.FLOAT && source.isView() == false && source.ordering() == 'c') {
            source.data().asNioFloat().get(target);
        } else {
            System.arraycopy(source.castTo(DataType.FLOAT).dup('c').data().asFloat(), 0, target, 0, target.length);
        }
    }

    private static void write(float[] source, INDArray target) {
        if (target.dataType() == DataType.FLOAT && !target.isView() && target.ordering() == 'c') {
            target.data().asNioFloat().put(source);
        } else {
            target.assign(Nd4j.create(source, target.shape(), 'c').castTo(target.dataType()));
        }
    }
}
