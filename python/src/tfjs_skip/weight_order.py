"""TF.js weight order for layers that hold other layers.

TF.js lists a composite layer's weights as all trainable weights, then all
non-trainable ones, each depth first (`SkipConnection.trainableWeights` then
`nonTrainableWeights` in the TS package); Keras 3 lists them layer by layer
(`[conv.kernel, bn.gamma, bn.beta, bn.moving_mean, ...]`). `TsWeightOrder`
reorders `weights` (and so `get_weights`, `set_weights`, `trainable_weights`
and `non_trainable_weights`) to the TF.js order. Saving is unaffected:
`.keras` files address weights by attribute path, not by this order.
"""


def _created_trainable(layer, ids):
    # A variable is "trainable" here when it was created trainable, even if
    # the layer is frozen now (freezing flips `v.trainable`, as TF.js's frozen
    # layers report all their weights as non-trainable in the same order).
    ids.update(id(v) for v in layer._trainable_variables)
    for sub in layer._layers:
        _created_trainable(sub, ids)
    return ids


class TsWeightOrder:
    """Mixin for a keras.layers.Layer: `weights` in TF.js order."""

    @property
    def weights(self):
        weights = super().weights
        trainable = _created_trainable(self, set())
        return [w for w in weights if id(w) in trainable] + [w for w in weights if id(w) not in trainable]
